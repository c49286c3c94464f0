"""Worker search: names in any order, every passport, permit and register number, employer.

The index is kept by triggers, so each write path below (create, renewed passport, permit,
register number, employer rename, delete) is followed by a search that must see it.
"""

from __future__ import annotations

import pytest

from tests.factories import created, employer_body, permit_body, signed_in, worker_body
from tka_registry.permits.tables import Permit
from tka_registry.workers.search import search_terms


@pytest.fixture
async def officer(client) -> dict[str, str]:
    return await signed_in(client, "officer")


async def found(client, headers: dict[str, str], q: str) -> list[str]:
    response = await client.get("/api/v1/workers", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    return sorted(item["full_name"] for item in response.json()["items"])


def test_terms_fold_and_split() -> None:
    assert search_terms("  ÉMILE  Dubois ") == ("emile", "dubois")
    assert search_terms("X 123-456/7") == ("x", "123", "456", "7")
    assert search_terms("' OR 1=1 --") == ("or", "1", "1")
    assert search_terms("%\x00_") == ()


async def test_search_finds_every_number_of_a_person(client, officer) -> None:
    mill = await created(
        client, "/api/v1/employers", employer_body(0, name="PT Kertas Musi Raya"), officer
    )
    plant = await created(
        client, "/api/v1/employers", employer_body(1, name="PT Pupuk Sriwijaya"), officer
    )
    emile = await created(
        client,
        "/api/v1/workers",
        worker_body(mill["id"], full_name="Émile Dubois", nationality="FRA"),
        officer,
    )
    await created(client, "/api/v1/workers", worker_body(plant["id"]), officer)  # Zhang Wei
    old_passport = emile["passports"][0]["number"]
    renewed = await client.post(
        f"/api/v1/workers/{emile['id']}/passports",
        json={
            "number": "FR7788990",
            "issuing_country": "FRA",
            "issued_on": "2026-01-05",
            "expires_on": "2036-01-04",
        },
        headers=officer,
    )
    assert renewed.status_code == 201, renewed.text
    permit = await created(
        client, "/api/v1/permits", permit_body(emile["id"], number="2C21AB7001"), officer
    )

    assert await found(client, officer, "dubois EMILE") == ["Émile Dubois"]
    assert await found(client, officer, "wei zhang") == ["Zhang Wei"]
    # Both passports; the old one typed with spaces and hyphens.
    spaced = f"{old_passport[:3]} {old_passport[3:6]}-{old_passport[6:]}"
    assert await found(client, officer, spaced) == ["Émile Dubois"]
    assert await found(client, officer, "fr7788990") == ["Émile Dubois"]
    assert await found(client, officer, "2C21-AB7001") == ["Émile Dubois"]
    assert await found(client, officer, "sriwijaya") == ["Zhang Wei"]
    assert await found(client, officer, "pt") == ["Zhang Wei", "Émile Dubois"]
    assert await found(client, officer, "dubois sriwijaya") == []
    assert await found(client, officer, "' OR 1=1 --") == []

    # A register number written on the permit by a later statement is found too.
    await Permit.update({Permit.register_number: "W9-PLB-2026-000042"}).where(
        Permit.id == permit["id"]
    )
    assert await found(client, officer, "W9 PLB 2026 000042") == ["Émile Dubois"]
    # Renaming the employer renames it in every worker's terms.
    renamed = await client.patch(
        f"/api/v1/employers/{plant['id']}", json={"name": "PT Listrik Banyuasin"}, headers=officer
    )
    assert renamed.status_code == 200
    assert await found(client, officer, "sriwijaya") == []
    assert await found(client, officer, "listrik") == ["Zhang Wei"]


async def test_employers_search_only_their_own(client, officer) -> None:
    mine = await created(client, "/api/v1/employers", employer_body(0), officer)
    other = await created(client, "/api/v1/employers", employer_body(1), officer)
    await created(
        client, "/api/v1/workers", worker_body(mine["id"], full_name="Kenji Sato"), officer
    )
    stranger = await created(
        client, "/api/v1/workers", worker_body(other["id"], full_name="Kenji Tanaka"), officer
    )
    employer = await signed_in(client, "employer", mine["id"])
    assert await found(client, employer, "kenji") == ["Kenji Sato"]
    assert await found(client, employer, stranger["passports"][0]["number"]) == []
    assert await found(client, officer, "kenji") == ["Kenji Sato", "Kenji Tanaka"]
