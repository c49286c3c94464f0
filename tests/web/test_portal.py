"""The employer's dashboard and worker page, the officer's home, and the dashboard's ordering."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.factories import account
from tests.web.conftest import sign_in_page
from tests.web.seed import seed_workforce
from tka_registry.workers.board import parse_sort


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, ("expiry", False)), ("-name", ("name", True)), ("drop table", ("expiry", False))],
)
def test_sort_parameter(text: str | None, expected: tuple[str, bool]) -> None:
    assert parse_sort(text) == expected


async def test_dashboard_lists_own_workers_needing_action_first(
    client: httpx.AsyncClient,
) -> None:
    team = await seed_workforce(client)
    await sign_in_page(client, team.email_a)
    page = await client.get("/portal")
    assert page.status_code == 200
    order = [int(i) for i in re.findall(r'href="/portal/pekerja/(\d+)"', page.text)]
    assert order == [team.overstay, team.expiring, team.without_permit, team.active]
    assert team.other_employers_worker not in order
    assert "PT Pupuk Sriwidjaja" in page.text
    assert "lewat 10 hari" in page.text  # expired on 12 November, today is the 22nd
    assert "18 hari" in page.text  # expires 10 December
    assert 'aria-sort="ascending"' in page.text

    by_name = await client.get("/portal?urut=name")
    order = [int(i) for i in re.findall(r'href="/portal/pekerja/(\d+)"', by_name.text)]
    assert order == [team.overstay, team.expiring, team.without_permit, team.active]
    assert 'href="?urut=-name"' in by_name.text  # clicking again reverses


async def test_worker_page_shows_passports_and_permits(client: httpx.AsyncClient) -> None:
    team = await seed_workforce(client)
    await sign_in_page(client, team.email_a)
    page = await client.get(f"/portal/pekerja/{team.overstay}")
    assert page.status_code == 200
    assert "Zhang Wei" in page.text and "Tiongkok" in page.text
    assert "12 November 2026" in page.text
    assert "Rp 10.000.000" in page.text  # 10 overstay days at Rp 1,000,000 (PP 28/2019)


async def test_another_employers_worker_is_not_found(client: httpx.AsyncClient) -> None:
    team = await seed_workforce(client)
    await sign_in_page(client, team.email_b)
    foreign = await client.get(f"/portal/pekerja/{team.overstay}")
    missing = await client.get("/portal/pekerja/999999")
    assert foreign.status_code == missing.status_code == 404
    assert "Halaman tidak ditemukan" in foreign.text
    assert "Zhang Wei" not in foreign.text


async def test_officer_home_counts_and_role_separation(client: httpx.AsyncClient) -> None:
    await seed_workforce(client)
    await sign_in_page(client, await account("officer"))
    home = await client.get("/petugas")
    numbers = re.findall(r'summary-card__number"[^>]*>(\d+)<', home.text)
    # Overstay, expiring, valid, without, not yet in force (both employers).
    assert numbers == ["1", "1", "2", "1", "0"]
    # Valid today counts the expiring too (permits.state: in force).
    assert '<strong data-count="valid">3</strong>' in home.text
    order = re.findall(r'data-status="(\w+)"', home.text)
    assert order == ["expired", "expiring", "none", "active", "active"]
    assert (await client.get("/portal")).status_code == 403


async def test_admin_lands_on_a_simple_home(client: httpx.AsyncClient) -> None:
    signed = await sign_in_page(client, await account("intelligence"))
    assert signed.headers["location"] == "/"
    home = await client.get("/", follow_redirects=True)
    assert home.status_code == 200 and "Selamat datang" in home.text


async def test_english_reaches_imported_macros(client: httpx.AsyncClient) -> None:
    team = await seed_workforce(client)
    await sign_in_page(client, team.email_a)
    await client.get("/bahasa/en?next=/portal")
    page = await client.get("/portal")
    assert "Foreign workers" in page.text
    assert "Expiring soon" in page.text and "No permit" in page.text  # from _macros.html
    assert "Segera berakhir" not in page.text and "Tanpa izin" not in page.text
    assert "10 December 2026" in page.text
