"""The worker's copy of its current permit (``permit_valid_until``), which the statistics count.

Every test also checks it on the way out (conftest ``db``); these follow it through issue,
supersession and revocation, and show that a change made behind the registry's back is found.
"""

from __future__ import annotations

from datetime import date

from httpx import AsyncClient

from tests.factories import created, employer_body, permit_body, signed_in, worker_body
from tka_registry.permits.current import drifted_workers, refresh_current_permits
from tka_registry.permits.tables import Permit
from tka_registry.workers.tables import Worker

STATS = "/api/v1/stats/nationalities"


async def _copy(worker_id: int) -> tuple[int | None, date | None]:
    row = (
        await Worker.select(Worker.current_permit_id, Worker.permit_valid_until)
        .where(Worker.id == worker_id)
        .first()
    )
    assert row is not None
    return row["current_permit_id"], row["permit_valid_until"]


async def _counted(client: AsyncClient, headers: dict[str, str]) -> dict[str, int]:
    response = await client.get(STATS, headers=headers)
    assert response.status_code == 200, response.text
    return {item["nationality"]: item["count"] for item in response.json()["items"]}


async def test_issue_supersede_and_revoke_keep_the_copy_and_the_counts(
    client: AsyncClient,
) -> None:
    officer = await signed_in(client, "officer")
    intelligence = await signed_in(client, "intelligence")
    employer = await created(client, "/api/v1/employers", employer_body(), officer)
    worker = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    assert await _copy(worker["id"]) == (None, None)
    assert await _counted(client, intelligence) == {}

    first = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    assert await _copy(worker["id"]) == (first["id"], date(2027, 5, 31))
    assert await _counted(client, intelligence) == {"CHN": 1}

    renewal = permit_body(
        worker["id"], issued_on="2026-11-20", expires_on="2027-11-19", supersedes_id=first["id"]
    )
    second = await created(client, "/api/v1/permits", renewal, officer)
    assert await _copy(worker["id"]) == (second["id"], date(2027, 11, 19))

    revocation = {"revoked_on": "2026-11-21", "revocation_reason": "Sponsor withdrew"}
    response = await client.patch(
        f"/api/v1/permits/{second['id']}", json=revocation, headers=officer
    )
    assert response.status_code == 200, response.text
    assert await _copy(worker["id"]) == (second["id"], None)  # still the head, no longer valid
    assert await _counted(client, intelligence) == {}


async def test_a_change_behind_the_registrys_back_is_found_and_repaired(
    client: AsyncClient,
) -> None:
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(), officer)
    worker = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    permit = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    assert await drifted_workers() == []

    await Permit.update({Permit.expires_on: date(2027, 1, 31)}).where(Permit.id == permit["id"])
    assert await drifted_workers() == [worker["id"]]

    await refresh_current_permits([worker["id"]])
    assert await drifted_workers() == []
    assert await _copy(worker["id"]) == (permit["id"], date(2027, 1, 31))
