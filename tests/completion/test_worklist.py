"""The officers' worklist "Data belum lengkap": gaps the office's sheet left, and their forms."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.factories import account
from tests.spreadsheets.office import messy_bytes, office_employers, run_import
from tests.web.conftest import csrf_token, sign_in_page
from tka_registry.completion.service import by_employer, worklist
from tka_registry.employers.tables import Employer
from tka_registry.settings import Settings
from tka_registry.workers.tables import Passport

PAGE = "/petugas/belum-lengkap"


async def test_worklist_lists_the_gaps_and_their_forms_complete_them(
    client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    await office_employers(settings)
    sheet = tmp_path / "kantor.csv"
    sheet.write_bytes(messy_bytes())
    report = await run_import(sheet, settings, partial=True)
    assert report.committed
    await sign_in_page(client, await account("officer"))

    home = await client.get("/petugas")
    found = re.search(r"Data belum lengkap: (\d+)", home.text)
    assert found is not None
    before = int(found.group(1))
    # The home's total (partial indexes) is the worklist's and the per-employer counts' sum.
    assert before > 0
    assert before == sum(entry.count for entry in await worklist())
    assert before == sum(entry["count"] for entry in await by_employer())

    page = await client.get(PAGE + "/")
    assert page.status_code == 200, page.text
    assert "Menurut jenis kekurangan" in page.text and "PT Tidak Terdaftar" in page.text
    employer = await Employer.select().where(Employer.name == "PT Tidak Terdaftar").first()
    assert employer is not None
    assert f'href="{PAGE}/perusahaan/{employer["id"]}"' in page.text
    undated = await Passport.select().where(Passport.issued_on.is_null()).first()
    assert undated is not None and f'href="{PAGE}/paspor/{undated["id"]}"' in page.text
    one = await client.get(PAGE + "/", params={"perusahaan": employer["id"]})
    assert one.status_code == 200 and "Park Ji-Hoon" in one.text and "Rajesh" not in one.text

    form = await client.get(f"{PAGE}/perusahaan/{employer['id']}")
    assert form.status_code == 200 and 'name="nib"' in form.text and 'name="name"' not in form.text
    token = await csrf_token(client, f"{PAGE}/perusahaan/{employer['id']}")
    wrong = await client.post(
        f"{PAGE}/perusahaan/{employer['id']}", data={"_csrf_token": token, "npwp": "123"}
    )
    assert wrong.status_code == 400 and "text/html" in wrong.headers["content-type"]
    assert (await Employer.select().where(Employer.id == employer["id"]).first())["npwp"] is None
    completed = await client.post(
        f"{PAGE}/perusahaan/{employer['id']}",
        data={"_csrf_token": token, "nib": "9120000000999", "npwp": "021436571091000",
              "address": "Jl. Demang Lebar Daun 1", "regency": "Kota Palembang",
              "sector": "construction"},
    )  # fmt: skip
    assert completed.status_code == 303, completed.text
    stored = await Employer.select().where(Employer.id == employer["id"]).first()
    assert stored is not None and (stored["nib"], stored["sector"]) == (
        "9120000000999",
        "construction",
    )

    dated = await client.post(
        f"{PAGE}/paspor/{undated['id']}", data={"_csrf_token": token, "issued_on": "2022-12-01"}
    )
    assert dated.status_code == 303
    passport = await Passport.select().where(Passport.id == undated["id"]).first()
    assert passport is not None and str(passport["issued_on"]) == "2022-12-01"

    home = await client.get("/petugas")
    after = re.search(r"Data belum lengkap: (\d+)", home.text)
    assert after is not None and int(after.group(1)) == before - 6  # five employer gaps, one date
