"""Many writers at once, through the HTTP API: every change is on the chain, and it holds."""

from __future__ import annotations

import asyncio

from tests.factories import PASSWORD, account, created, employer_body, signed_in, worker_body
from tka_registry.audit.service import check_chain
from tka_registry.audit.tables import AuditEntry

WRITERS = 40


async def test_concurrent_writes_leave_an_intact_chain(client) -> None:
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    # One sign-in per account: concurrent guesses at one account are paused after
    # TKA_SIGNIN_MAX_FAILURES in flight (tests/security/test_signin_attacks.py).
    clerks = [await account("officer") for _ in range(10)]
    before = await AuditEntry.count()

    async def new_worker(number: int) -> int:
        body = worker_body(employer["id"], full_name=f"Pekerja {number}")
        response = await client.post("/api/v1/workers", json=body, headers=officer)
        return response.status_code

    async def sign_in(clerk: str) -> int:
        body = {"email": clerk, "password": PASSWORD}
        return (await client.post("/api/v1/auth/token", json=body)).status_code

    statuses = await asyncio.gather(
        *(new_worker(number) for number in range(WRITERS)), *(sign_in(clerk) for clerk in clerks)
    )
    assert statuses == [201] * WRITERS + [200] * 10

    check = await check_chain()
    assert check.broken is None
    assert check.checked == before + WRITERS + 10
    creations = await AuditEntry.count().where(AuditEntry.action == "worker.create")
    assert creations == WRITERS
    sequences = [row["sequence"] for row in await AuditEntry.select(AuditEntry.sequence)]
    assert sorted(sequences) == list(range(1, check.checked + 1))
