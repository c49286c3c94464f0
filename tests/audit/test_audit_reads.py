"""Audited reads: recorded durably before the answer leaves, without the chain's lock, and
sealed into the tamper-evident chain in order (by the next change, or by the server's sealer)."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import asyncpg
from httpx import AsyncClient

from tests.audit.test_audit_verify import verify
from tests.factories import created, employer_body, signed_in, worker_body
from tka_registry.accounts.roles import Actor
from tka_registry.audit.service import check_chain, pending_reads, record_read, seal_reads
from tka_registry.audit.tables import AuditEntry
from tka_registry.settings import sqlite_path

QUERY = "/api/v1/intelligence/workers?nationality=CHN"


async def _outside_count(database_url: str, sql: str) -> int:
    """A count through a connection of its own: only what was committed shows."""
    path = sqlite_path(database_url)
    if path is not None:
        with sqlite3.connect(path) as connection:
            return int(connection.execute(sql).fetchone()[0])
    connection = await asyncpg.connect(database_url)
    try:
        return int(await connection.fetchval(sql))
    finally:
        await connection.close()


READS = (
    "SELECT (SELECT count(*) FROM audit_pending_read WHERE action = 'intelligence.query')"
    " + (SELECT count(*) FROM audit_entry WHERE action = 'intelligence.query')"
)


async def test_a_read_is_committed_before_its_answer_leaves(client: AsyncClient, db: str) -> None:
    intel = await signed_in(client, "intelligence")
    for expected in range(1, 4):
        response = await client.get(QUERY, headers=intel)
        assert response.status_code == 200
        # Seen from another connection the moment the answer is here: had the process died
        # now, the read would still be on record.
        assert await _outside_count(db, READS) == expected


async def test_reads_beside_writes_all_reach_an_intact_chain(client: AsyncClient) -> None:
    officer = await signed_in(client, "officer")
    intel = await signed_in(client, "intelligence")
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)

    async def read() -> int:
        return (await client.get(QUERY, headers=intel)).status_code

    async def write(number: int) -> int:
        body = worker_body(employer["id"], full_name=f"Pekerja {number}")
        return (await client.post("/api/v1/workers", json=body, headers=officer)).status_code

    statuses = await asyncio.gather(*(read() for _ in range(30)), *(write(n) for n in range(10)))
    assert statuses == [200] * 30 + [201] * 10

    await seal_reads()
    assert await pending_reads() == 0
    check = await check_chain()
    assert check.broken is None and check.pending_reads == 0
    queries = await AuditEntry.count().where(AuditEntry.action == "intelligence.query")
    assert queries == 30
    sequences = sorted(r["sequence"] for r in await AuditEntry.select(AuditEntry.sequence))
    assert sequences == list(range(1, check.checked + 1))


async def test_a_change_seals_the_reads_before_it(client: AsyncClient) -> None:
    officer = await signed_in(client, "officer")
    intel = await signed_in(client, "intelligence")
    await client.get(QUERY, headers=intel)
    await created(client, "/api/v1/employers", employer_body(0), officer)
    rows = await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.sequence)
    actions = [row["action"] for row in rows]
    assert actions.index("intelligence.query") < actions.index("employer.create")


async def test_the_server_seals_reads_within_seconds(client: AsyncClient) -> None:
    intel = await signed_in(client, "intelligence")
    await client.get(QUERY, headers=intel)
    for _ in range(100):  # the app's sealer runs every second
        if await AuditEntry.count().where(AuditEntry.action == "intelligence.query"):
            break
        await asyncio.sleep(0.1)
    assert await AuditEntry.count().where(AuditEntry.action == "intelligence.query") == 1
    assert await pending_reads() == 0


async def test_a_sealed_read_altered_breaks_the_chain(client: AsyncClient) -> None:
    intel = await signed_in(client, "intelligence")
    await client.get(QUERY, headers=intel)
    await seal_reads()
    code, output = await verify()
    assert code == 0, output
    sealed: Any = await AuditEntry.select().where(AuditEntry.action == "intelligence.query").first()
    await AuditEntry._meta.db.run_ddl(
        "UPDATE audit_entry SET details = '{}' WHERE action = 'intelligence.query'"
    )
    code, output = await verify()
    assert code == 1
    assert f"BROKEN at sequence {sealed['sequence']}" in output


async def test_verify_counts_reads_waiting_to_be_sealed(db: str) -> None:
    await record_read(Actor.system("test"), "intelligence.query", "worker", "", {"n": 1})
    code, output = await verify()
    assert code == 0 and "1 recorded reads wait to be sealed" in output
