"""Tokens, roles, employer scoping, the audit chain and concurrent writers."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.conftest import NOW
from tests.factories import (
    PASSWORD,
    account,
    bearer,
    created,
    employer_body,
    permit_body,
    signed_in,
    worker_body,
)
from tka_registry.app import create_app
from tka_registry.audit.service import seal_reads, verify_chain
from tka_registry.audit.tables import AuditEntry


async def test_tokens_sign_in_revoke_and_refuse(client) -> None:
    email = await account("officer")
    wrong = await client.post(
        "/api/v1/auth/token", json={"email": email, "password": "wrong password"}
    )
    assert wrong.status_code == 401 and "wrong" in wrong.json()["detail"]
    headers = await bearer(client, email)
    me = await client.get("/api/v1/auth/me", headers=headers)
    assert me.json()["role"] == "officer"
    assert (await client.delete("/api/v1/auth/token", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
    assert (await client.get("/api/v1/workers")).status_code == 401
    junk = {"Authorization": "Bearer not-a-token"}
    assert (await client.get("/api/v1/workers", headers=junk)).status_code == 401


async def test_tokens_expire(client, settings) -> None:
    headers = await bearer(client, await account("officer"))
    later = NOW + timedelta(minutes=settings.token_lifetime_minutes + 1)
    app = create_app(settings, clock=lambda: later)
    import httpx

    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as late:
            assert (await late.get("/api/v1/auth/me", headers=headers)).status_code == 401


async def test_lockout_after_repeated_failures(client, settings) -> None:
    email = await account("officer")
    for _ in range(settings.signin_max_failures):
        await client.post("/api/v1/auth/token", json={"email": email, "password": "nope nope nope"})
    locked = await client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert locked.status_code == 401 and "waits after repeated" in locked.json()["detail"]


async def test_roles_are_enforced(client) -> None:
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    worker = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    as_employer = await signed_in(client, "employer", employer["id"])
    intelligence = await signed_in(client, "intelligence")
    assert (
        await client.post("/api/v1/employers", json=employer_body(1), headers=as_employer)
    ).status_code == 403
    assert (
        await client.post("/api/v1/permits", json=permit_body(worker["id"]), headers=as_employer)
    ).status_code == 403
    assert (
        await client.post("/api/v1/workers", json=worker_body(None), headers=intelligence)
    ).status_code == 403
    # The intelligence section states why it opens a person's record; the purpose is audited.
    record_path = f"/api/v1/workers/{worker['id']}"
    without = await client.get(record_path, headers=intelligence)
    assert without.status_code == 422 and without.json()["errors"][0]["field"] == "purpose"
    opened = await client.get(
        record_path, params={"purpose": "TIMPORA check"}, headers=intelligence
    )
    assert opened.status_code == 200
    await seal_reads()  # reads join the chain when sealed
    view = await AuditEntry.select().where(AuditEntry.action == "intelligence.view").first()
    assert "TIMPORA check" in view["details"]
    assert (
        await client.post("/api/v1/employers", json=employer_body(1), headers={})
    ).status_code == 401


async def test_an_employer_works_only_with_its_own_workers(client) -> None:
    officer = await signed_in(client, "officer")
    mine = await created(client, "/api/v1/employers", employer_body(0), officer)
    theirs = await created(client, "/api/v1/employers", employer_body(1), officer)
    as_mine = await signed_in(client, "employer", mine["id"])
    # An employer account's new worker is always its own; naming another employer is refused.
    own = await created(client, "/api/v1/workers", worker_body(None), as_mine)
    assert own["employer_id"] == mine["id"]
    response = await client.post("/api/v1/workers", json=worker_body(theirs["id"]), headers=as_mine)
    assert response.status_code == 422
    foreign = await created(client, "/api/v1/workers", worker_body(theirs["id"]), officer)
    for method, path, body in [
        ("GET", f"/api/v1/workers/{foreign['id']}", None),
        ("PATCH", f"/api/v1/workers/{foreign['id']}", {"position": "Manager"}),
        ("POST", f"/api/v1/workers/{foreign['id']}/passports", worker_body(None)["passport"]),
        ("GET", f"/api/v1/employers/{theirs['id']}", None),
    ]:
        response = await client.request(method, path, json=body, headers=as_mine)
        assert response.status_code == 404, (method, path, response.text)
    assert (await client.get("/api/v1/employers", headers=as_mine)).json()["total"] == 1


async def test_every_write_is_on_an_intact_audit_chain(client) -> None:
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    worker = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    await client.patch(
        f"/api/v1/workers/{worker['id']}", json={"position": "Plant Manager"}, headers=officer
    )
    await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    actions = [
        row["action"]
        for row in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.sequence)
    ]
    for action in (
        "account.create",
        "signin",
        "employer.create",
        "worker.create",
        "worker.update",
        "permit.issue",
    ):
        assert action in actions
    update = await AuditEntry.select().where(AuditEntry.action == "worker.update").first()
    assert '"Process Engineer"' in update["details"] and '"Plant Manager"' in update["details"]
    checked, broken = await verify_chain()
    assert checked == len(actions) and broken is None


async def test_a_refused_write_leaves_no_trace(client) -> None:
    officer = await signed_in(client, "officer")
    before = await AuditEntry.count()
    response = await client.post(
        "/api/v1/employers", json=employer_body(0, regency="Kota Jambi"), headers=officer
    )
    assert response.status_code == 422
    assert await AuditEntry.count() == before


async def test_concurrent_renewals_issue_exactly_one(client) -> None:
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    worker = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    current = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    renewals = [
        permit_body(
            worker["id"],
            supersedes_id=current["id"],
            issued_on="2027-05-01",
            expires_on="2028-04-30",
        )
        for _ in range(8)
    ]
    responses = await asyncio.gather(
        *(client.post("/api/v1/permits", json=body, headers=officer) for body in renewals)
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 7, [r.text for r in responses]
    history = (await client.get(f"/api/v1/workers/{worker['id']}", headers=officer)).json()[
        "permits"
    ]
    # The renewal begins on 1 May 2027: on 22 November 2026 it is not yet in force.
    assert [p["status"] for p in history] == ["not_yet_valid", "superseded"]
    assert (await verify_chain())[1] is None


async def test_concurrent_writers_never_see_a_locked_database(client) -> None:
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    responses = await asyncio.gather(
        *(
            client.post("/api/v1/workers", json=worker_body(employer["id"]), headers=officer)
            for _ in range(20)
        )
    )
    assert [r.status_code for r in responses] == [201] * 20, [
        r.text for r in responses if r.status_code != 201
    ]
    assert (await client.get("/api/v1/workers", headers=officer)).json()["total"] == 20
    assert (await verify_chain())[1] is None
