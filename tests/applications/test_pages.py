"""The application pages through HTTP: forms keep their input, show errors, and save nothing."""

from __future__ import annotations

import re
from datetime import date

from tests.applications.conftest import pdf_bytes, td3
from tests.factories import account, created, employer_body
from tests.web.conftest import csrf_token, sign_in_page
from tka_registry.applications.tables import Application

MRZ = td3("WANG", "FANG", "EA1234567", "CHN", date(1988, 7, 14), "F", date(2034, 1, 31))


async def _employer_session(client, officer_headers) -> dict:
    employer = await created(client, "/api/v1/employers", employer_body(0), officer_headers)
    email = await account("employer", employer["id"])
    signed = await sign_in_page(client, email)
    assert signed.status_code in (302, 303), signed.text
    return employer


async def test_mrz_box_fills_and_flags_then_a_draft_is_saved(client, office) -> None:
    await sign_in_page(client, await account("employer", office.employer["id"]))
    page = await client.get("/portal/permohonan/baru?jenis=itas_new")
    assert page.status_code == 200 and "Baca MRZ" in page.text
    token = await csrf_token(client, "/portal/permohonan/baru?jenis=itas_new")

    # A typed surname that differs from the MRZ is kept and flagged; empty fields are filled.
    read = await client.post(
        "/portal/permohonan/baru",
        data={
            "_csrf_token": token,
            "kind": "itas_new",
            "mrz": MRZ,
            "surname": "WONG",
            "action": "mrz",
        },
    )
    assert read.status_code == 400
    assert 'value="WONG"' in read.text and 'value="EA1234567"' in read.text
    assert 'value="1988-07-14"' in read.text and 'value="2034-01-31"' in read.text
    assert "tidak sama dengan MRZ" in read.text and 'href="#surname"' in read.text
    assert await Application.count() == 0

    # A wrong check digit names the field it protects.
    broken = MRZ[:54] + str((int(MRZ[54]) + 1) % 10) + MRZ[55:]
    bad = await client.post(
        "/portal/permohonan/baru",
        data={"_csrf_token": token, "kind": "itas_new", "mrz": broken, "action": "mrz"},
    )
    assert "Digit pemeriksa nomor paspor salah" in bad.text
    assert 'href="#passport_number"' in bad.text

    # An invalid date keeps every input and saves nothing.
    form = {
        "_csrf_token": token,
        "kind": "itas_new",
        "mrz": MRZ,
        "action": "save",
        "surname": "WANG",
        "given_names": "FANG",
        "date_of_birth": "1988-07-14",
        "sex": "F",
        "nationality": "CHN",
        "passport_number": "EA1234567",
        "passport_expires_on": "2034-01-31",
        "requested_from": "2026-13-01",
        "position": "Boiler Engineer",
    }
    invalid = await client.post("/portal/permohonan/baru", data=form)
    assert invalid.status_code == 400 and 'value="Boiler Engineer"' in invalid.text
    assert 'href="#requested_from"' in invalid.text
    assert await Application.count() == 0

    saved = await client.post(
        "/portal/permohonan/baru", data=form | {"requested_from": "2026-12-01"}
    )
    assert saved.status_code == 303
    case_path = saved.headers["location"]
    assert re.fullmatch(r"/portal/permohonan/\d+", case_path)
    case_page = await client.get(case_path)
    assert case_page.status_code == 200 and "FANG" in case_page.text

    # Submitting now lists what is missing, in Indonesian.
    submit = await client.post(f"{case_path}/ajukan", data={"_csrf_token": token})
    assert submit.status_code == 400
    assert (
        "Lampirkan dokumen wajib yang belum ada: Halaman data paspor, Pengesahan RPTKA, "
        "Bukti bayar DKPTKA, Pas foto." in submit.text
    )
    assert "Berlaku sampai wajib diisi." in submit.text

    # Upload: a text file is refused by content; a PDF is taken.
    text = await client.post(
        f"{case_path}/lampiran",
        data={"_csrf_token": token, "kind": "passport_page"},
        files={"file": ("paspor.pdf", b"just text", "application/pdf")},
    )
    assert text.status_code == 400 and "dinilai dari isinya" in text.text
    ok = await client.post(
        f"{case_path}/lampiran",
        data={"_csrf_token": token, "kind": "passport_page"},
        files={"file": ("paspor.pdf", pdf_bytes(), "application/pdf")},
    )
    assert ok.status_code == 303


async def test_forms_need_csrf_and_other_employers_get_404(client, office) -> None:
    draft = await created(
        client, "/api/v1/applications", {"kind": "departure_report"}, office.sponsor
    )
    await sign_in_page(client, await account("employer", office.other_employer["id"]))
    assert (await client.get(f"/portal/permohonan/{draft['id']}")).status_code == 404
    assert (await client.get(f"/portal/permohonan/{draft['id']}/ubah")).status_code == 404
    token = await csrf_token(client, "/portal/permohonan/baru")
    foreign = await client.post(
        f"/portal/permohonan/{draft['id']}/ajukan", data={"_csrf_token": token}
    )
    assert foreign.status_code == 404
    no_token = await client.post("/portal/permohonan/baru", data={"kind": "itas_new"})
    assert no_token.status_code == 403


async def test_officer_queue_and_public_track_page(client, office) -> None:
    await sign_in_page(client, await account("officer"))
    queue = await client.get("/petugas/permohonan?kewarganegaraan=Narnia")
    assert queue.status_code == 200 and "Kewarganegaraan tidak dikenal." in queue.text
    form = {"register_number": "W9-PLB-2026-000001", "passport_number": "X1"}
    token = await csrf_token(client, "/track")
    track = await client.post("/track", data={**form, "_csrf_token": token})
    assert track.status_code == 404 and "Tidak ada permohonan" in track.text
    blank = await client.get("/track")
    assert blank.status_code == 200 and "Lacak permohonan" in blank.text
