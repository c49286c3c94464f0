"""A record-to-complete form shows its service's refusal in the page's language, naming the
field as the form labels it, with the officer's input kept."""

from __future__ import annotations

import httpx

from tests.factories import account
from tests.web.conftest import csrf_token, refused_on_page, sign_in_page
from tests.web.seed import seed_workforce
from tka_registry.workers.tables import Passport

PAGE = "/petugas/belum-lengkap"


async def test_a_passport_ending_before_its_issue_is_refused_in_the_page_language(
    client: httpx.AsyncClient,
) -> None:
    force = await seed_workforce(client)
    passport = await Passport.select().where(Passport.worker == force.active).first()
    # A passport the office's sheet left without its dates.
    await Passport.update({Passport.issued_on: None, Passport.expires_on: None}).where(
        Passport.id == passport["id"]
    )
    await sign_in_page(client, await account("officer"))
    path = f"{PAGE}/paspor/{passport['id']}"
    shown = await client.get(path)  # a passport has no name: the form names it by its number
    assert shown.status_code == 200 and passport["number"] in shown.text
    token = await csrf_token(client, path)
    form = {"_csrf_token": token, "issued_on": "2024-03-01", "expires_on": "2023-03-01"}

    kept = ('value="2024-03-01"', 'value="2023-03-01"')
    refused = await client.post(path, data=form)
    refused_on_page(
        refused, "Masa berlaku paspor: Paspor harus habis berlaku sesudah tanggal terbitnya.", *kept
    )
    assert "must expire" not in refused.text
    row = await Passport.select().where(Passport.id == passport["id"]).first()
    assert row["issued_on"] is None and row["expires_on"] is None  # nothing changed

    client.cookies.set("tka_lang", "en")
    english = await client.post(path, data=form)
    refused_on_page(
        english, "Passport expiry date: The passport must expire after it is issued.", *kept
    )
