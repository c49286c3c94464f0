"""The employer's dashboard and worker page, the officer's home, and the dashboard's ordering."""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest

from tests.factories import account
from tests.web.conftest import sign_in_page
from tests.web.seed import seed_workforce
from tka_registry.web.dashboard import dashboard_row, ordered, parse_sort
from tka_registry.workers.schemas import CurrentPermit, WorkerSummary

TODAY = date(2026, 11, 22)


def _worker(worker_id: int, name: str, expires_on: date | None, status: str = "") -> WorkerSummary:
    permit = None
    if expires_on is not None:
        permit = CurrentPermit(
            id=worker_id,
            number=f"N{worker_id}",
            kind="ITAS",
            visa_index="E23C",
            expires_on=expires_on,
            status=status,
        )
    return WorkerSummary(
        id=worker_id,
        full_name=name,
        sex="M",
        date_of_birth=date(1985, 1, 1),
        nationality="CHN",
        nationality_name="China",
        regency="Kota Palembang",
        position="Engineer",
        employer_id=1,
        passport_number=None,
        current_permit=permit,
    )


def test_action_groups_come_first_whatever_the_sort() -> None:
    rows = [
        dashboard_row(_worker(1, "Ana", date(2027, 5, 31), "active"), TODAY),
        dashboard_row(_worker(2, "Budi", date(2026, 12, 1), "expiring"), TODAY),
        dashboard_row(_worker(3, "Chen", date(2026, 11, 21), "expired"), TODAY),
        dashboard_row(_worker(4, "Dewi", None), TODAY),
        dashboard_row(_worker(5, "Eko", date(2026, 11, 1), "expired"), TODAY),
    ]
    by_expiry = [r.worker.id for r in ordered(rows, "expiry", descending=False)]
    assert by_expiry == [5, 3, 2, 4, 1]
    by_name_desc = [r.worker.id for r in ordered(rows, "name", descending=True)]
    assert by_name_desc == [5, 3, 2, 4, 1]
    by_name = [r.worker.id for r in ordered(rows, "name", descending=False)]
    assert by_name == [3, 5, 2, 4, 1]


def test_days_and_overstay_come_from_the_permit_rules() -> None:
    overstay = dashboard_row(_worker(1, "A", date(2026, 11, 21), "expired"), TODAY)
    assert overstay.overstay_days == 1 and overstay.days_to_expiry == -1
    last_day = dashboard_row(_worker(2, "B", TODAY, "expiring"), TODAY)
    assert last_day.overstay_days == 0 and last_day.days_to_expiry == 0
    revoked = dashboard_row(_worker(3, "C", date(2026, 1, 1), "revoked"), TODAY)
    assert revoked.days_to_expiry is None and revoked.overstay_days == 0 and revoked.needs_action


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
    numbers = re.findall(r'summary-card__number">(\d+)<', home.text)
    assert numbers == ["1", "1", "2"]  # overstay, expiring, valid (both employers)
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
