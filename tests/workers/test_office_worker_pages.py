"""The officer's search page and worker page, through HTTP as a browser sends them."""

from __future__ import annotations

import re

from tests.factories import account
from tests.web.conftest import sign_in_page
from tests.web.seed import seed_workforce


async def officer_page_client(client) -> None:
    assert (await sign_in_page(client, await account("officer"))).status_code == 303


def names_listed(html: str) -> list[str]:
    return re.findall(r'<a href="/petugas/pekerja/\d+">([^<]+)</a>', html)


async def test_search_page_and_home_cards(client) -> None:
    force = await seed_workforce(client)
    await officer_page_client(client)
    empty = await client.get("/petugas/cari")
    assert empty.status_code == 200 and "text/html" in empty.headers["content-type"]
    assert names_listed(empty.text) == [] and 'id="q"' in empty.text

    found = await client.get("/petugas/cari", params={"q": "min-jun KIM"})
    assert names_listed(found.text) == ["Kim Min-jun"]
    assert "1 orang ditemukan" in found.text and "PT Pupuk Sriwidjaja" in found.text
    assert f'href="/petugas/pekerja/{force.expiring}"' in found.text
    by_employer = await client.get("/petugas/cari", params={"q": "sriwidjaja"})
    assert len(names_listed(by_employer.text)) == 4
    in_force = await client.get("/petugas/cari", params={"q": "sriwidjaja", "status": "valid"})
    assert in_force.status_code == 200
    assert "Berlaku (termasuk segera berakhir)" in in_force.text
    assert len(names_listed(in_force.text)) == 2  # active and expiring
    nobody = await client.get("/petugas/cari", params={"q": "nobody here"})
    assert names_listed(nobody.text) == [] and "Tidak ada yang cocok" in nobody.text

    home = await client.get("/petugas")
    assert 'href="/petugas/cari"' in home.text and 'href="/petugas/impor"' in home.text
    assert 'href="/petugas/overstay"' in home.text
    assert (
        f'href="/petugas/pekerja/{force.overstay}"' in home.text
    )  # the board's rows open the page
    overstay = await client.get("/petugas/cari", params={"status": "expired"})
    assert names_listed(overstay.text) == ["Zhang Wei"]
    unknown = await client.get("/petugas/cari", params={"status": "bogus"})
    assert unknown.status_code == 200 and names_listed(unknown.text) == []

    english = await client.get("/bahasa/en", params={"next": "/petugas/cari?q=zhang"})
    assert english.status_code in (302, 303)
    page = await client.get("/petugas/cari", params={"q": "zhang"})
    assert "1 person found" in page.text and "Find a person" in page.text


async def test_employers_cannot_open_the_office_search(client) -> None:
    force = await seed_workforce(client)
    assert (await sign_in_page(client, force.email_a)).status_code == 303
    assert (await client.get("/petugas/cari", params={"q": "zhang"})).status_code == 403
