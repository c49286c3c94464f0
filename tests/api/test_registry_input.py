"""Bad input answers a 4xx naming the field and the reason, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import created, employer_body, permit_body, signed_in, worker_body


@pytest.fixture
async def officer(client) -> dict[str, str]:
    return await signed_in(client, "officer")


async def count(client, path: str, headers: dict[str, str]) -> int:
    return int((await client.get(path, headers=headers)).json()["total"])


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def reasons(response: Any) -> str:
    return " | ".join(error["reason"] for error in response.json()["errors"])


@pytest.mark.parametrize(
    ("change", "status", "field", "reason"),
    [
        ({"nib": "12345"}, 400, "nib", "13 digits"),
        ({"npwp": "013000667091000"}, 400, "npwp", "NPWP is not valid"),
        ({"regency": "Kota Jambi"}, 422, "regency", "working area"),
        ({"email": "not-an-email"}, 400, "email", "not an email address"),
        ({"name": ""}, 400, "name", "at least 1"),
        ({"extra": "x"}, 400, "extra", "Extra inputs"),
    ],
)
async def test_employer_input(client, officer, change, status, field, reason) -> None:
    response = await client.post(
        "/api/v1/employers", json=employer_body(0, **change), headers=officer
    )
    assert response.status_code == status, response.text
    assert field in fields(response)
    assert reason in reasons(response)
    assert await count(client, "/api/v1/employers", officer) == 0


async def test_duplicate_nib_is_a_conflict(client, officer) -> None:
    await created(client, "/api/v1/employers", employer_body(0), officer)
    again = await client.post(
        "/api/v1/employers", json=employer_body(1, nib=employer_body(0)["nib"]), headers=officer
    )
    assert again.status_code == 409 and fields(again) == ["nib"]


@pytest.mark.parametrize(
    ("change", "status", "field", "reason"),
    [
        ({"nationality": "XYZ"}, 400, "nationality", 'unknown nationality "XYZ"'),
        ({"sex": "X"}, 400, "sex", "'M' or 'F'"),
        ({"date_of_birth": "2031-01-01"}, 422, "date_of_birth", "in the future"),
        ({"date_of_birth": "31-12-1980"}, 400, "date_of_birth", "date"),
        ({"regency": "Jakarta"}, 422, "regency", "working area"),
        ({"employer_id": 987654}, 422, "employer_id", "no employer with id 987654"),
    ],
)
async def test_worker_input(client, officer, change, status, field, reason) -> None:
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    body = worker_body(employer["id"]) | change
    response = await client.post("/api/v1/workers", json=body, headers=officer)
    assert response.status_code == status, response.text
    assert field in fields(response)
    assert reason in reasons(response)
    assert await count(client, "/api/v1/workers", officer) == 0


async def test_passport_problems(client, officer) -> None:
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    body = worker_body(employer["id"])
    body["passport"] |= {"issued_on": "2030-01-01", "expires_on": "2029-01-01"}
    response = await client.post("/api/v1/workers", json=body, headers=officer)
    assert response.status_code == 400 and "must be after issued_on" in response.text
    first = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    duplicate = worker_body(employer["id"])
    duplicate["passport"]["number"] = first["passports"][0]["number"]
    response = await client.post("/api/v1/workers", json=duplicate, headers=officer)
    assert response.status_code == 409 and fields(response) == ["passport.number"]
    assert await count(client, "/api/v1/workers", officer) == 1


async def test_permit_rules_through_the_api(client, officer) -> None:
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    worker = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    cases = [
        ({"expires_on": "2026-05-01"}, 422, "expires_on", "not after its first valid day"),
        (
            {"expires_on": "2033-06-01", "issued_on": "2032-06-02"},
            422,
            "expires_on",
            "before the permit's expiry",
        ),
        ({"visa_index": "Z99"}, 422, "visa_index", 'unknown visa index "Z99"'),
        ({"kind": "ITAP", "visa_index": "E33"}, 422, "kind", "carries ITAS"),
        (
            {"visa_index": "E33", "employer_id": employer["id"]},
            422,
            "employer_id",
            "no sponsoring employer",
        ),
        ({"kind": "VISA"}, 400, "kind", "ITK"),
        ({"worker_id": 424242}, 422, "worker_id", "no worker with id 424242"),
        ({"supersedes_id": 5}, 409, "supersedes_id", "not the worker's current permit"),
    ]
    for change, status, field, reason in cases:
        response = await client.post(
            "/api/v1/permits", json=permit_body(worker["id"]) | change, headers=officer
        )
        assert response.status_code == status, (change, response.text)
        assert field in fields(response), (change, response.text)
        assert reason in reasons(response), (change, response.text)
    assert await count(client, "/api/v1/permits", officer) == 0
    issued = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    other = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    duplicate = await client.post(
        "/api/v1/permits", json=permit_body(other["id"], number=issued["number"]), headers=officer
    )
    assert duplicate.status_code == 409 and fields(duplicate) == ["number"]


async def test_revocation_is_the_only_change_a_permit_takes(client, officer) -> None:
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    worker = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    permit = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    path = f"/api/v1/permits/{permit['id']}"
    edit = await client.patch(path, json={"expires_on": "2030-01-01"}, headers=officer)
    assert edit.status_code == 400
    missing_date = await client.patch(
        path, json={"revocation_reason": "left Indonesia"}, headers=officer
    )
    assert missing_date.status_code == 400 and "revoked_on" in fields(missing_date)
    revoked = await client.patch(
        path,
        json={"revoked_on": "2026-11-20", "revocation_reason": "sponsor withdrew"},
        headers=officer,
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    again = await client.patch(
        path, json={"revoked_on": "2026-11-21", "revocation_reason": "again"}, headers=officer
    )
    assert again.status_code == 409
    # A revoked permit no longer blocks a new one, which then supersedes it in the history.
    renewal = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    assert renewal["supersedes_id"] == permit["id"]


async def test_lists_filter_and_page(client, officer) -> None:
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    names = ["Émile Dubois", "Zhang Wei", "Kim Min-jun", "Arjun Sharma"]
    for name in names:
        worker = await created(
            client, "/api/v1/workers", worker_body(employer["id"], full_name=name), officer
        )
        await created(
            client, "/api/v1/permits", permit_body(worker["id"], expires_on="2026-12-10"), officer
        )
    page = (await client.get("/api/v1/workers?q=emile", headers=officer)).json()
    assert [item["full_name"] for item in page["items"]] == ["Émile Dubois"]
    page = (await client.get("/api/v1/workers?limit=2&offset=2", headers=officer)).json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["offset"] == 2
    assert (await client.get("/api/v1/workers?status=expiring", headers=officer)).json()[
        "total"
    ] == 4
    assert (await client.get("/api/v1/workers?status=active", headers=officer)).json()["total"] == 0
    assert (await client.get("/api/v1/workers?expires_within_days=17", headers=officer)).json()[
        "total"
    ] == 0
    assert (await client.get("/api/v1/workers?expires_within_days=18", headers=officer)).json()[
        "total"
    ] == 4
    for query, field in [("status=sleeping", "status"), ("nationality=Atlantis", "nationality")]:
        response = await client.get(f"/api/v1/workers?{query}", headers=officer)
        assert response.status_code == 422 and fields(response) == [field]
    for query in ("limit=0", "limit=201", "offset=-1", "expires_within_days=-1"):
        assert (await client.get(f"/api/v1/workers?{query}", headers=officer)).status_code == 400
