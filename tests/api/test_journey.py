"""The acceptance journey of the registry foundation, through HTTP, on the engine under test."""

from __future__ import annotations

from tests.factories import (
    account,
    bearer,
    created,
    employer_body,
    permit_body,
    signed_in,
    worker_body,
)


async def test_register_renew_and_scope_by_employer(client) -> None:
    officer = await signed_in(client, "officer")
    pusri = await created(client, "/api/v1/employers", employer_body(0), officer)
    other = await created(client, "/api/v1/employers", employer_body(1, name="PT Lain"), officer)

    worker = await created(
        client,
        "/api/v1/workers",
        worker_body(pusri["id"], full_name="Lǐ Nà", nationality="Tiongkok"),
        officer,
    )
    assert worker["nationality"] == "CHN"
    assert worker["passports"][0]["number"].startswith("E")
    indian = await created(
        client,
        "/api/v1/workers",
        worker_body(pusri["id"], full_name="Arjun Sharma", nationality="India"),
        officer,
    )

    first = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    assert first["status"] == "active"

    # Employer A sees its worker; employer B gets the same 404 as for a missing worker.
    employer_a = await bearer(client, await account("employer", pusri["id"]))
    employer_b = await bearer(client, await account("employer", other["id"]))
    assert (
        await client.get(f"/api/v1/workers/{worker['id']}", headers=employer_a)
    ).status_code == 200
    foreign = await client.get(f"/api/v1/workers/{worker['id']}", headers=employer_b)
    missing = await client.get("/api/v1/workers/999999", headers=employer_b)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["detail"].replace(str(worker["id"]), "N") == missing.json()[
        "detail"
    ].replace("999999", "N")
    assert (await client.get("/api/v1/workers", headers=employer_b)).json()["total"] == 0
    assert (
        await client.get(f"/api/v1/permits/{first['id']}", headers=employer_b)
    ).status_code == 404

    # Filter by nationality, written as a code or as a name.
    for spelling in ("CHN", "china", "Tiongkok"):
        page = (await client.get(f"/api/v1/workers?nationality={spelling}", headers=officer)).json()
        assert [item["id"] for item in page["items"]] == [worker["id"]]
        assert page["total"] == 1 and page["limit"] == 50 and page["offset"] == 0
    page = (await client.get("/api/v1/workers?nationality=IND", headers=employer_a)).json()
    assert [item["id"] for item in page["items"]] == [indian["id"]]

    # Renewing without naming the valid permit is a conflict; naming it supersedes it.
    renewal = permit_body(worker["id"], issued_on="2027-05-01", expires_on="2028-04-30")
    conflict = await client.post("/api/v1/permits", json=renewal, headers=officer)
    assert conflict.status_code == 409
    assert conflict.json()["errors"][0]["field"] == "supersedes_id"
    second = await created(
        client, "/api/v1/permits", renewal | {"supersedes_id": first["id"]}, officer
    )
    assert second["supersedes_id"] == first["id"]

    history = (await client.get(f"/api/v1/workers/{worker['id']}", headers=employer_a)).json()
    assert [p["id"] for p in history["permits"]] == [second["id"], first["id"]]
    # The renewal begins on 1 May 2027: on 22 November 2026 it is not yet in force.
    assert [p["status"] for p in history["permits"]] == ["not_yet_valid", "superseded"]
    assert history["permits"][1]["superseded_by_id"] == second["id"]
