"""The intelligence list: every filter alone, combined, refused values, sorting, history."""

from __future__ import annotations

import json

from httpx import AsyncClient

from tests.factories import signed_in
from tests.intelligence.conftest import Registry
from tka_registry.audit.service import seal_reads
from tka_registry.audit.tables import AuditEntry

URL = "/api/v1/intelligence/workers"


async def names(client: AsyncClient, registry: Registry, query: str) -> list[str]:
    response = await client.get(f"{URL}?{query}", headers=registry.intel)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == len(page["items"])
    return sorted(item["full_name"] for item in page["items"])


async def test_each_filter_alone(client: AsyncClient, registry: Registry) -> None:
    r = registry
    pupuk, tanjung = r.employers["pupuk"]["id"], r.employers["tanjung"]["id"]
    expectations = {
        "nationality=CHN": ["Lǐ Nà", "Zhang Wei"],
        "nationality=Tiongkok,india": ["Arjun Sharma", "Lǐ Nà", "Zhang Wei"],
        f"employer_id={tanjung}": ["Ahmad Razak", "Arjun Sharma", "Kenji Sato"],
        "regency=kab. musi banyuasin": ["Ahmad Razak", "Arjun Sharma", "Kenji Sato"],
        "sector=mining": ["Ahmad Razak", "Arjun Sharma", "Kenji Sato"],
        "position=chem": ["Lǐ Nà"],
        "kind=ITAS": [
            "Ahmad Razak",
            "Arjun Sharma",
            "Emma Brown",
            "Kenji Sato",
            "Lǐ Nà",
            "Park Ji-ho",
            "Zhang Wei",
        ],
        "visa_index=E33": ["Emma Brown"],
        "visa_index=e23e,E23M": ["Arjun Sharma", "Lǐ Nà"],
        "status=active": ["Arjun Sharma", "Emma Brown", "Zhang Wei"],
        "status=expiring": ["Lǐ Nà"],
        "status=overstay": ["Ahmad Razak", "Kenji Sato"],
        "status=expired": ["Ahmad Razak", "Kenji Sato"],
        "status=revoked": ["Park Ji-ho"],
        "status=none": ["Nguyen Van An"],
        "expires_within_days=20": ["Lǐ Nà"],
        "issued_from=2026-01-01&issued_to=2026-03-31": ["Arjun Sharma", "Emma Brown"],
        "expires_from=2026-09-01&expires_to=2026-09-30": ["Ahmad Razak", "Kenji Sato"],
        "q=LI NA": ["Lǐ Nà"],
        "q=zhang": ["Zhang Wei"],
    }
    for query, expected in expectations.items():
        assert await names(client, r, query) == expected, query
    assert len(await names(client, r, f"employer_id={pupuk}")) == 4


async def test_filters_combine_with_and(client: AsyncClient, registry: Registry) -> None:
    query = "nationality=JPN,MYS,IND&regency=Musi Banyuasin&status=expired&sector=mining"
    assert await names(client, registry, query) == ["Ahmad Razak", "Kenji Sato"]
    assert await names(client, registry, "nationality=CHN&status=expiring&q=li") == ["Lǐ Nà"]
    assert await names(client, registry, "nationality=CHN&visa_index=E33") == []


async def test_unknown_filter_values_are_refused_with_a_reason(
    client: AsyncClient, registry: Registry
) -> None:
    refused = {
        "nationality=Atlantis": (422, "nationality"),
        "nationality=CHN,ZZZ": (422, "nationality"),
        "employer_id=999999": (422, "employer_id"),
        "regency=Jakarta Selatan": (422, "regency"),
        "kind=VISA": (422, "kind"),
        "visa_index=E99": (422, "visa_index"),
        "status=wanted": (422, "status"),
        "issued_from=2026-05-01&issued_to=2026-01-01": (422, "issued_from"),
        "expires_from=2027-01-01&expires_to=2026-01-01": (422, "expires_from"),
        "sort=password_hash": (422, "sort"),
        "expires_within_days=-1": (400, "expires_within_days"),
        "issued_from=yesterday": (400, "issued_from"),
    }
    for query, (status, field) in refused.items():
        response = await client.get(f"{URL}?{query}", headers=registry.intel)
        assert response.status_code == status, (query, response.text)
        body = response.json()
        assert field in [error["field"] for error in body["errors"]] or field in body["detail"]
        assert body["detail"], query


async def test_sorting_and_paging(client: AsyncClient, registry: Registry) -> None:
    page = (await client.get(f"{URL}?sort=-name&limit=3", headers=registry.intel)).json()
    assert [i["full_name"] for i in page["items"]] == ["Zhang Wei", "Park Ji-ho", "Nguyen Van An"]
    assert page["total"] == 8 and page["limit"] == 3
    second = (await client.get(f"{URL}?sort=-name&limit=3&offset=3", headers=registry.intel)).json()
    assert [i["full_name"] for i in second["items"]] == ["Lǐ Nà", "Kenji Sato", "Emma Brown"]
    by_expiry = (
        await client.get(f"{URL}?sort=expires_on&status=expired", headers=registry.intel)
    ).json()
    assert [i["full_name"] for i in by_expiry["items"]] == ["Kenji Sato", "Ahmad Razak"]
    row = by_expiry["items"][0]
    assert row["current_permit"]["overstay_days"] == 61
    assert row["history_url"] == f"{URL}/{row['id']}"
    assert row["nationality_name_id"] == "Jepang" and row["employer_name"] == "PT Tanjung Mining"


async def test_person_history_needs_and_records_a_purpose(
    client: AsyncClient, registry: Registry
) -> None:
    r = registry
    zhang = r.workers["zhang"]["id"]
    # Zhang moves to the mining company, then gets a permit sponsored there.
    moved = await client.patch(
        f"/api/v1/workers/{zhang}",
        json={"employer_id": r.employers["tanjung"]["id"]},
        headers=r.officer,
    )
    assert moved.status_code == 200
    for query in ("", "?purpose=", "?purpose=abc", "?purpose=%20%20%20%20%20%20"):
        refused = await client.get(f"{URL}/{zhang}{query}", headers=r.intel)
        assert refused.status_code in (400, 422), query
        assert "purpose" in refused.text
    purpose = "TIMPORA field check at PT Tanjung"
    response = await client.get(f"{URL}/{zhang}", params={"purpose": purpose}, headers=r.intel)
    assert response.status_code == 200, response.text
    history = response.json()
    assert history["worker"]["full_name"] == "Zhang Wei"
    assert len(history["worker"]["passports"]) == 1
    assert [p["id"] for p in history["worker"]["permits"]] == [r.permits["zhang"]["id"]]
    assert history["employer_periods"][0]["employer_name"] == "PT Pupuk Sriwidjaja"
    changes = history["employer_changes"]
    assert [(c["before_employer_id"], c["after_employer_id"]) for c in changes] == [
        (None, r.employers["pupuk"]["id"]),
        (r.employers["pupuk"]["id"], r.employers["tanjung"]["id"]),
    ]
    await seal_reads()  # reads join the chain when sealed
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.action == "intelligence.view")
        .order_by(AuditEntry.sequence, ascending=False)
        .first()
    )
    assert entry is not None
    assert entry["object_id"] == str(zhang) and json.loads(entry["details"]) == {"purpose": purpose}
    missing = await client.get(f"{URL}/999999", params={"purpose": purpose}, headers=r.intel)
    assert missing.status_code == 404


async def test_every_query_is_audited_with_its_filters(
    client: AsyncClient, registry: Registry
) -> None:
    await seal_reads()  # reads join the chain when sealed
    before = await AuditEntry.count().where(AuditEntry.action.like("intelligence.%"))
    await client.get(f"{URL}?nationality=china&status=active&sort=-name", headers=registry.intel)
    await seal_reads()
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.action == "intelligence.query")
        .order_by(AuditEntry.sequence, ascending=False)
        .first()
    )
    assert entry is not None and entry["role"] == "intelligence"
    details = json.loads(entry["details"])
    assert details["filters"] == {"nationalities": ["CHN"], "status": "active"}
    assert details["sort"] == "-name" and details["total"] == 1
    assert await AuditEntry.count().where(AuditEntry.action.like("intelligence.%")) == before + 1


async def test_officers_and_employers_are_refused(client: AsyncClient, registry: Registry) -> None:
    employer = await signed_in(client, "employer", registry.employers["pupuk"]["id"])
    admin = await signed_in(client, "admin")
    zhang = registry.workers["zhang"]["id"]
    paths = [
        URL,
        f"{URL}/{zhang}?purpose=checking the record",
        "/api/v1/intelligence/overstays",
        "/api/v1/intelligence/exports/workers.csv",
        "/api/v1/intelligence/reports/nationalities.pdf?as_of=2026-11-22",
        "/api/v1/stats/nationalities",
        "/api/v1/stats/employers",
        "/api/v1/stats/regencies",
        "/api/v1/stats/sectors",
        "/api/v1/stats/visa-indexes",
        "/api/v1/stats/expiries",
        "/api/v1/stats/new-permits",
    ]
    for path in paths:
        for headers in (registry.officer, employer):
            assert (await client.get(path, headers=headers)).status_code == 403, path
        assert (await client.get(path)).status_code == 401, path
    assert (await client.get(URL, headers=admin)).status_code == 200
