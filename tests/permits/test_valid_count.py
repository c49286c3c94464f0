"""One count of valid permits per day and filter, on every page and API that gives one.

One data set (made through the API, as the office would) holds a permit of every kind of state:
active, inside the extension window, expired, revoked, a new ITAS approved ahead of its first
day (not yet in force), a renewal issued ahead of its first day (the worker stays valid through
the handover), and a worker without a permit. The intelligence dashboard, the PDF report, the
officer home, the employer dashboards, the statistics API and the worker list must all give the
count :mod:`tka_registry.permits.state` gives in Python, with and without filters.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from pypdf import PdfReader

from tests.conftest import NOW
from tests.factories import account, created, employer_body, permit_body, signed_in, worker_body
from tests.web.conftest import sign_in_page
from tka_registry.intelligence.exports import report_lines
from tka_registry.permits.state import coverage_from, state_of
from tka_registry.permits.tables import Permit
from tka_registry.rules.calendar import jakarta_today
from tka_registry.settings import Settings
from tka_registry.workers.tables import Worker

TODAY = jakarta_today(NOW)


@dataclass(frozen=True)
class DataSet:
    employers: dict[str, int]
    not_yet_valid: list[int]  # workers whose only permit has not begun
    renewed_ahead: int  # a worker whose renewal begins later: valid through the handover


async def _data_set(client: httpx.AsyncClient) -> DataSet:
    officer = await signed_in(client, "officer")
    employers = {
        name: (await created(client, "/api/v1/employers", employer_body(i), officer))["id"]
        for i, name in enumerate("AB")
    }

    async def worker(employer: str, nationality: str) -> int:
        body = worker_body(employers[employer], nationality=nationality)
        body["passport"]["issuing_country"] = nationality
        return int((await created(client, "/api/v1/workers", body, officer))["id"])

    async def permit(worker_id: int, **dates: Any) -> dict[str, Any]:
        return await created(client, "/api/v1/permits", permit_body(worker_id, **dates), officer)

    await permit(await worker("A", "CHN"), issued_on="2026-06-01", expires_on="2027-05-31")
    await permit(await worker("A", "KOR"), issued_on="2025-12-10", expires_on="2026-12-10")
    await permit(await worker("A", "CHN"), issued_on="2025-11-12", expires_on="2026-11-12")
    revoked = await permit(
        await worker("A", "JPN"), issued_on="2026-02-01", expires_on="2027-01-31"
    )
    response = await client.patch(
        f"/api/v1/permits/{revoked['id']}",
        json={"revoked_on": "2026-11-20", "revocation_reason": "Sponsor withdrew"},
        headers=officer,
    )
    assert response.status_code == 200, response.text
    # A new ITAS approved today, in force from 15 December: not yet valid.
    not_yet_valid = [await worker("A", "IND"), await worker("B", "CHN")]
    for worker_id in not_yet_valid:
        await permit(
            worker_id, issued_on="2026-11-22", valid_from="2026-12-15", expires_on="2027-12-14"
        )
    # Renewed today from the day after the old permit ends: valid through the handover.
    renewed_ahead = await worker("A", "GBR")
    old = await permit(renewed_ahead, issued_on="2025-12-01", expires_on="2026-11-30")
    await permit(
        renewed_ahead,
        issued_on="2026-11-22",
        valid_from="2026-12-01",
        expires_on="2027-11-30",
        supersedes_id=old["id"],
    )
    await permit(await worker("B", "GBR"), issued_on="2026-06-01", expires_on="2027-05-31")
    await worker("B", "MYS")  # no permit
    return DataSet(employers, not_yet_valid, renewed_ahead)


async def _expected(
    settings: Settings, employer_id: int | None = None, nationality: str = ""
) -> int:
    """The count from permits.state's Python form: workers whose standing is in force today."""
    permits = {row["id"]: row for row in await Permit.select()}
    workers = await Worker.select()
    count = 0
    for worker in workers:
        if employer_id is not None and worker["employer"] != employer_id:
            continue
        if nationality and worker["nationality"] != nationality:
            continue
        row = permits.get(worker["current_permit_id"])
        if row is None:
            continue
        previous = permits.get(row["supersedes"]) if row["supersedes"] else None
        stay_from = coverage_from(
            valid_from=row["valid_from"], issued_on=row["issued_on"], previous=previous
        )
        if state_of(row, today=TODAY, settings=settings, stay_from=stay_from).in_force:
            count += 1
    return count


async def _signed_in_page(
    client: httpx.AsyncClient, role: str, employer_id: int | None = None
) -> None:
    client.cookies.clear()  # the previous page session ends
    response = await sign_in_page(client, await account(role, employer_id))
    assert response.status_code == 303, response.text


def _card(page: httpx.Response, name: str = "valid") -> int:
    assert page.status_code == 200, page.text
    found = re.search(rf'data-count="{name}">([\d.]+)<', page.text)
    assert found, page.text[:2000]
    return int(found.group(1).replace(".", ""))


async def test_every_page_counts_the_same_valid_permits(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    data = await _data_set(client)
    intelligence = await signed_in(client, "intelligence")
    officer = await signed_in(client, "officer")
    everyone = await _expected(settings)
    # A's active, expiring and renewed-ahead workers, and B's active one.
    assert everyone == 4
    assert everyone == await _expected(settings, data.employers["A"]) + await _expected(
        settings, data.employers["B"]
    )

    async def api_total(path: str, query: str, headers: dict[str, str]) -> int:
        response = await client.get(f"{path}?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return int(response.json()["total"])

    for query, expected in [
        ("", everyone),
        (f"employer_id={data.employers['A']}", await _expected(settings, data.employers["A"])),
        ("nationality=CHN", await _expected(settings, nationality="CHN")),
    ]:
        stats = await api_total("/api/v1/stats/nationalities", query, intelligence)
        listed = await api_total("/api/v1/workers", f"status=valid&{query}", officer)
        searched = await api_total(
            "/api/v1/intelligence/workers", f"status=valid&{query}", intelligence
        )
        assert stats == listed == searched == expected, query

    # The PDF report for today, through the same function as its numbers and on paper.
    lines, regencies = await report_lines(TODAY)
    assert sum(line.count for line in lines) == sum(line.count for line in regencies) == everyone
    pdf = await client.get(
        f"/api/v1/intelligence/reports/nationalities.pdf?as_of={TODAY.isoformat()}",
        headers=intelligence,
    )
    assert pdf.status_code == 200, pdf.text
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert re.search(rf"Jumlah seluruhnya\s*Total\s*{everyone}\b", " ".join(text.split())), text

    # The pages: the officer's home, the intelligence dashboard, each employer's dashboard.
    await _signed_in_page(client, "officer")
    assert _card(await client.get("/petugas")) == everyone
    await _signed_in_page(client, "intelligence")
    assert _card(await client.get("/intelijen")) == everyone
    by_employer = await client.get(f"/intelijen?employer_id={data.employers['A']}")
    assert _card(by_employer) == await _expected(settings, data.employers["A"])
    for employer_id in data.employers.values():
        await _signed_in_page(client, "employer", employer_id)
        portal = await client.get("/portal")
        assert _card(portal) == await _expected(settings, employer_id)
        assert _card(portal, "not_yet_valid") == 1  # one new ITAS each, shown apart
        assert "mulai 15 Desember 2026" in portal.text  # with its first day


async def test_not_yet_valid_and_the_handover_in_each_list(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    data = await _data_set(client)
    officer = await signed_in(client, "officer")
    for worker_id in data.not_yet_valid:
        answer = (await client.get(f"/api/v1/workers/{worker_id}", headers=officer)).json()
        (permit,) = answer["permits"]
        assert permit["status"] == "not_yet_valid"
        assert (permit["issued_on"], permit["valid_from"]) == ("2026-11-22", "2026-12-15")
    listed = (await client.get("/api/v1/workers?status=not_yet_valid", headers=officer)).json()
    assert sorted(item["id"] for item in listed["items"]) == sorted(data.not_yet_valid)
    assert {item["current_permit"]["status"] for item in listed["items"]} == {"not_yet_valid"}
    # The renewed worker's new permit has not begun, yet the worker stays valid: the list shows
    # the standing (active through the new expiry), the permit itself says not yet valid.
    renewed = (await client.get(f"/api/v1/workers/{data.renewed_ahead}", headers=officer)).json()
    assert [p["status"] for p in renewed["permits"]] == ["not_yet_valid", "superseded"]
    valid = (await client.get("/api/v1/workers?status=valid", headers=officer)).json()
    row = next(item for item in valid["items"] if item["id"] == data.renewed_ahead)
    assert row["current_permit"]["status"] == "active"
    assert row["current_permit"]["expires_on"] == "2027-11-30"
    assert date.fromisoformat(row["current_permit"]["valid_from"]) == date(2026, 12, 1)
