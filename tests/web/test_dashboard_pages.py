"""The dashboards page in SQL: an overstayer comes first whatever its name, 50 rows a page."""

from __future__ import annotations

import re

import httpx

from tests.factories import account
from tests.web.conftest import sign_in_page
from tests.web.seed import seed_workforce
from tka_registry.workers.board import PAGE_SIZE
from tka_registry.workers.tables import Worker

ROW = re.compile(
    r'<tr class="[^"]*" data-status="(\w+)">\s*<td data-label="[^"]+">(?:<a href="/(?:portal|petugas)/pekerja/(\d+)">)?([^<]+)<'
)
CLONES = 5000


async def _clone_without_permit(worker_id: int, count: int) -> None:
    """``count`` copies of a worker without a permit, named "Aaron 1".. (before every other
    name), inserted in one statement so the test stays fast."""
    await Worker.raw(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})"
        " INSERT INTO worker (full_name, name_folded, sex, date_of_birth, place_of_birth,"
        " nationality, address, regency, position, employer, created_at, updated_at)"
        " SELECT 'Aaron ' || n.i, 'aaron ' || n.i, w.sex, w.date_of_birth, w.place_of_birth,"
        " w.nationality, w.address, w.regency, w.position, w.employer, w.created_at,"
        " w.updated_at FROM n, worker w WHERE w.id = {}",
        count,
        worker_id,
    )


def _rows(html: str) -> list[tuple[str, str, str]]:
    return ROW.findall(html)


async def test_overstayer_past_row_5000_comes_first(client: httpx.AsyncClient) -> None:
    team = await seed_workforce(client)
    await _clone_without_permit(team.without_permit, CLONES)
    await sign_in_page(client, team.email_a)
    page = await client.get("/portal?urut=name")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert rows[0][:2] == ("expired", str(team.overstay))
    assert len(rows) == PAGE_SIZE  # never more rows than a page shows
    assert rows[1][:2] == ("expiring", str(team.expiring))
    assert [status for status, _, _ in rows[2:]] == ["none"] * (PAGE_SIZE - 2)
    assert [name for _, _, name in rows[2:5]] == ["Aaron 1", "Aaron 10", "Aaron 100"]
    numbers = re.findall(r'summary-card__number"[^>]*>([\d.]+)<', page.text)
    # Overstay, expiring, valid, without, not yet in force (id locale).
    assert numbers == ["1", "1", "1", "5.001", "0"]
    pages = -(-(CLONES + 4) // PAGE_SIZE)
    assert f"Halaman 1 dari {pages}" in page.text

    last = await client.get(f"/portal?urut=name&halaman={pages}")
    last_rows = _rows(last.text)
    assert len(last_rows) == (CLONES + 4) % PAGE_SIZE or PAGE_SIZE
    assert last_rows[-1][:2] == ("active", str(team.active))


async def test_search_and_group_filters(client: httpx.AsyncClient) -> None:
    team = await seed_workforce(client)
    await _clone_without_permit(team.without_permit, 120)
    await sign_in_page(client, team.email_a)

    overstay = _rows((await client.get("/portal?status=overstay")).text)
    assert [(s, i) for s, i, _ in overstay] == [("expired", str(team.overstay))]

    found = _rows((await client.get("/portal?cari=ZHANG")).text)
    assert [i for _, i, _ in found] == [str(team.overstay)]
    without = await client.get("/portal?status=without_permit&halaman=3&urut=-name")
    rows = _rows(without.text)
    assert len(rows) == 121 - 2 * PAGE_SIZE and {s for s, _, _ in rows} == {"none"}
    assert "Halaman 3 dari 3" in without.text

    nothing = await client.get("/portal?cari=nobody-by-this-name")
    assert nothing.status_code == 200 and not _rows(nothing.text)
    assert "Tidak ada pekerja yang sesuai" in nothing.text

    bad = await client.get("/portal?status=sometimes")
    assert bad.status_code in (400, 422) and "status" in bad.text
    assert (await client.get("/portal?halaman=0")).status_code == 400


async def test_officer_sees_every_employer_on_the_board(client: httpx.AsyncClient) -> None:
    team = await seed_workforce(client)
    await _clone_without_permit(team.other_employers_worker, 60)
    await sign_in_page(client, await account("officer"))
    home = await client.get("/petugas?status=active&urut=name")
    names = [name for _, _, name in _rows(home.text)]
    assert names == ["Arjun Sharma", "Liam Smith"]
    first = _rows((await client.get("/petugas")).text)
    assert len(first) == PAGE_SIZE and first[0][0] == "expired"
