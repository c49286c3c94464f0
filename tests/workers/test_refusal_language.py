"""The worker page's forms show a service's refusal in the page's language, naming the field,
with the officer's input kept; permits are named by kind and index, not only coded."""

from __future__ import annotations

import httpx

from tests.factories import account
from tests.web.conftest import csrf_token, refused_on_page, sign_in_page
from tests.web.seed import seed_workforce
from tka_registry.permits.tables import Permit


async def test_a_revocation_before_the_permit_was_issued_is_refused_in_the_page_language(
    client: httpx.AsyncClient,
) -> None:
    force = await seed_workforce(client)  # the active worker's permit was issued 2026-06-01
    await sign_in_page(client, await account("officer"))
    path = f"/petugas/pekerja/{force.active}"
    token = await csrf_token(client, path)
    form = {"_csrf_token": token, "revoked_on": "2026-05-01",
            "revocation_reason": "Sponsor menarik jaminan", "confirmed": "yes"}  # fmt: skip

    kept = ('value="2026-05-01"', "Sponsor menarik jaminan</textarea>")
    refused = await client.post(f"{path}/cabut", data=form)
    refused_on_page(
        refused,
        "Tanggal pencabutan: Izin tidak dapat dicabut sebelum tanggal terbitnya (2026-06-01).",
        *kept,
    )
    assert "cannot be revoked" not in refused.text
    permit = await Permit.select().where(Permit.worker == force.active).first()
    assert permit["revoked_on"] is None  # nothing changed

    client.cookies.set("tka_lang", "en")
    english = await client.post(f"{path}/cabut", data=form)
    refused_on_page(
        english, "Revoked on: A permit cannot be revoked before its issue date 2026-06-01.", *kept
    )


async def test_permits_are_named_on_the_worker_page_and_the_board(
    client: httpx.AsyncClient,
) -> None:
    force = await seed_workforce(client)
    await sign_in_page(client, await account("officer"))
    worker = await client.get(f"/petugas/pekerja/{force.active}")
    assert "Izin Tinggal Terbatas (ITAS)</span> · E23C – Bekerja - industri" in worker.text
    found = await client.get("/petugas/cari", params={"q": "Arjun"})
    assert "Izin Tinggal Terbatas (ITAS)</span> · E23C – Bekerja - industri" in found.text
    board = await client.get("/petugas")
    # A dense table keeps the codes first and shows the names on the line below.
    assert (
        'ITAS E23C<span class="cell-sub" data-permit-kind="ITAS">Izin Tinggal Terbatas · Bekerja - industri</span>'
        in board.text
    )

    client.cookies.set("tka_lang", "en")
    worker = await client.get(f"/petugas/pekerja/{force.active}")
    assert "Limited Stay Permit (ITAS)</span> · E23C – Work - industry" in worker.text
    board = await client.get("/petugas")
    assert "Limited Stay Permit · Work - industry</span>" in board.text
    overstays = await client.get("/petugas/overstay")
    assert "Limited Stay Permit (ITAS)</span> · E23C – Work - industry" in overstays.text
