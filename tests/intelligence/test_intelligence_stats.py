"""Statistics of valid permits, and the overstay list with its fines at the 60/61-day edge."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from httpx import AsyncClient

from tests.factories import created, permit_body
from tests.intelligence.conftest import Registry
from tka_registry.applications.schemas import ApplicationKind, ApplicationStatus
from tka_registry.applications.tables import Application
from tka_registry.audit.service import seal_reads
from tka_registry.audit.tables import AuditEntry

STATS = "/api/v1/stats"


async def test_nationality_statistics_answer_exactly_the_agreed_shape(
    client: AsyncClient, registry: Registry
) -> None:
    response = await client.get(f"{STATS}/nationalities", headers=registry.intel)
    assert response.status_code == 200, response.text
    # Valid permits only: the two expired (JPN, MYS) and the revoked (KOR) and the worker
    # without a permit (VNM) are not counted; Lǐ Nà's expiring permit is still valid.
    assert response.json() == {
        "items": [
            {"nationality": "CHN", "name": "China", "name_id": "Tiongkok", "count": 2},
            {"nationality": "GBR", "name": "United Kingdom", "name_id": "Inggris", "count": 1},
            {"nationality": "IND", "name": "India", "name_id": "India", "count": 1},
        ],
        "total": 4,
    }


async def test_statistics_take_the_query_filters(client: AsyncClient, registry: Registry) -> None:
    tanjung = registry.employers["tanjung"]["id"]
    for query in (f"employer_id={tanjung}", "regency=Musi Banyuasin", "nationality=IND"):
        body = (await client.get(f"{STATS}/nationalities?{query}", headers=registry.intel)).json()
        assert body == {
            "items": [{"nationality": "IND", "name": "India", "name_id": "India", "count": 1}],
            "total": 1,
        }, query
    refused = await client.get(f"{STATS}/nationalities?nationality=Narnia", headers=registry.intel)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "nationality"
    await seal_reads()  # reads join the chain when sealed
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.action == "intelligence.stats")
        .order_by(AuditEntry.sequence, ascending=False)
        .first()
    )
    assert entry is not None
    assert json.loads(entry["details"]) == {
        "filters": {"nationalities": ["IND"]},
        "stat": "nationalities",
    }


async def test_counts_by_employer_regency_sector_and_visa_index(
    client: AsyncClient, registry: Registry
) -> None:
    r = registry

    async def items(name: str) -> tuple[list[dict], int]:
        body = (await client.get(f"{STATS}/{name}", headers=r.intel)).json()
        return body["items"], body["total"]

    employers, total = await items("employers")
    assert total == 4
    assert employers == [
        {"employer_id": r.employers["pupuk"]["id"], "name": "PT Pupuk Sriwidjaja", "count": 2},
        {"employer_id": r.employers["tanjung"]["id"], "name": "PT Tanjung Mining", "count": 1},
        {"employer_id": None, "name": None, "count": 1},
    ]
    regencies, _ = await items("regencies")
    assert regencies == [
        {"regency": "Kota Palembang", "count": 3},
        {"regency": "Kabupaten Musi Banyuasin", "count": 1},
    ]
    sectors, _ = await items("sectors")
    assert sectors == [
        {"sector": "fertiliser", "count": 2},
        {"sector": "mining", "count": 1},
        {"sector": None, "count": 1},
    ]
    indexes, _ = await items("visa-indexes")
    by_code = {item["visa_index"]: item for item in indexes}
    # Second Home holders are their own index, never counted as workers of an E23 index.
    assert by_code["E33"] == {
        "visa_index": "E33",
        "name_id": "Rumah Kedua",
        "name_en": "Second Home",
        "category": "second_home",
        "count": 1,
    }
    assert {code: item["count"] for code, item in by_code.items()} == {
        "E23C": 1,
        "E23E": 1,
        "E23M": 1,
        "E33": 1,
    }


async def test_expiries_ahead_and_new_permits_behind_by_month(
    client: AsyncClient, registry: Registry
) -> None:
    r = registry
    expiries = (await client.get(f"{STATS}/expiries", headers=r.intel)).json()
    months = [item["month"] for item in expiries["items"]]
    assert months[0] == "2026-11" and months[-1] == "2027-10" and len(months) == 12
    counts = {item["month"]: item["count"] for item in expiries["items"]}
    assert counts["2026-12"] == 1 and counts["2027-02"] == 1 and counts["2027-05"] == 1
    assert expiries["total"] == 3  # Emma's Second Home permit runs to 2031
    # A renewal counts as a new permit in the month it is issued.
    await created(
        client,
        "/api/v1/permits",
        permit_body(
            r.workers["li"]["id"],
            visa_index="E23M",
            issued_on="2026-11-20",
            expires_on="2027-11-19",
            supersedes_id=r.permits["li"]["id"],
        ),
        r.officer,
    )
    issued = (await client.get(f"{STATS}/new-permits", headers=r.intel)).json()
    months = [item["month"] for item in issued["items"]]
    assert months[0] == "2025-12" and months[-1] == "2026-11" and len(months) == 12
    counts = {item["month"]: item["count"] for item in issued["items"]}
    assert counts["2025-12"] == 1 and counts["2026-01"] == 1 and counts["2026-03"] == 1
    assert counts["2026-06"] == 2 and counts["2026-11"] == 1
    assert issued["total"] == 6  # 2025-09 permits are older than 12 months
    nationality = (await client.get(f"{STATS}/new-permits?nationality=CHN", headers=r.intel)).json()
    assert nationality["total"] == 3


async def test_overstays_longest_first_with_fines_at_the_deportation_edge(
    client: AsyncClient, registry: Registry
) -> None:
    r = registry
    response = await client.get("/api/v1/intelligence/overstays", headers=r.intel)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == 2
    first, second = page["items"]
    # Day 61 is past the 60-day limit (UU 6/2011 art. 78): deportation, listed first.
    assert first["full_name"] == "Kenji Sato"
    assert (first["overstay_days"], first["fine_idr"], first["faces_deportation"]) == (
        61,
        61_000_000,
        True,
    )
    assert second["full_name"] == "Ahmad Razak"
    assert (second["overstay_days"], second["fine_idr"], second["faces_deportation"]) == (
        60,
        60_000_000,
        False,
    )
    assert first["history_url"].endswith(f"/{r.workers['kenji']['id']}")
    narrowed = await client.get("/api/v1/intelligence/overstays?nationality=MYS", headers=r.intel)
    assert [i["full_name"] for i in narrowed.json()["items"]] == ["Ahmad Razak"]


async def test_a_successor_permit_ends_the_overstay(
    client: AsyncClient, registry: Registry
) -> None:
    r = registry
    await created(
        client,
        "/api/v1/permits",
        permit_body(
            r.workers["kenji"]["id"],
            issued_on="2026-11-21",
            expires_on="2027-11-20",
            supersedes_id=r.permits["kenji"]["id"],
        ),
        r.officer,
    )
    page = (await client.get("/api/v1/intelligence/overstays", headers=r.intel)).json()
    assert [i["full_name"] for i in page["items"]] == ["Ahmad Razak"]


async def test_an_approved_departure_report_ends_the_overstay(
    client: AsyncClient, registry: Registry
) -> None:
    """The sponsor reported that Kenji left (applications: departure_report, approved)."""
    r = registry
    now = datetime(2026, 10, 1, tzinfo=UTC)
    await Application.insert(
        Application(
            kind=ApplicationKind.DEPARTURE_REPORT.value,
            status=ApplicationStatus.APPROVED.value,
            employer=r.employers["tanjung"]["id"],
            worker=r.workers["kenji"]["id"],
            details="{}",
            departed_on=date(2026, 9, 20),
            created_by="hrd@tanjung.test",
            created_at=now,
            updated_at=now,
        )
    )
    page = (await client.get("/api/v1/intelligence/overstays", headers=r.intel)).json()
    assert [i["full_name"] for i in page["items"]] == ["Ahmad Razak"] and page["total"] == 1
