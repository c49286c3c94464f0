"""Writing and checking the audit chain.

Each entry's hash covers its content and the previous entry's hash, so changing, removing or
reordering any entry breaks the chain from there on. A change's entry is written inside the
transaction of the change it records. A read's entry is one committed insert into
``audit_pending_read`` before the answer leaves (no lock on the chain, so reads run in
parallel); the next change, or the server's sealer within a second, moves waiting reads into
the chain in order, after which they are covered like any entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.audit.tables import AuditEntry, AuditPendingRead
from tka_registry.db import is_sqlite, write_transaction

GENESIS_HASH = "0" * 64
# Any constant works: it names the advisory lock that serialises appends on PostgreSQL.
_CHAIN_LOCK_KEY = 7_310_466
# Reads sealed into the chain at most at once (by a change, or by the server's sealer).
SEAL_BATCH = 1000


def entry_digest(
    *,
    sequence: int,
    at: datetime,
    actor: str,
    role: str,
    address: str,
    action: str,
    object_type: str,
    object_id: str,
    details: str,
    previous_hash: str,
) -> str:
    """SHA-256 (hex) of an entry's content chained to the previous entry's hash."""
    content = [
        sequence,
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        actor,
        role,
        address,
        action,
        object_type,
        object_id,
        details,
        previous_hash,
    ]
    canonical = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _json(details: dict[str, Any]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)


async def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    details: dict[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Append one entry to the chain; joins the caller's transaction so it commits or rolls
    back with it. Reads waiting to be sealed go into the chain first, in the same turn."""
    engine = AuditEntry._meta.db
    async with write_transaction(engine):
        head = await _chain_head(engine)
        head = await _seal_pending(head, SEAL_BATCH)
        fields = _fields(actor, action, object_type, object_id, details, at)
        await _append([fields], head)


async def record_read(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Record a read before its answer leaves: one committed insert, no lock on the chain.

    The entry joins the chain at the next :func:`record` or :func:`seal_reads` (a running
    server seals every second); ``audit verify`` counts those still waiting.
    """
    fields = _fields(actor, action, object_type, object_id, details, None)
    await AuditPendingRead.insert(AuditPendingRead(**fields))


async def seal_reads(limit: int = SEAL_BATCH) -> int:
    """Move up to ``limit`` waiting reads into the chain, oldest first; answers how many."""
    engine = AuditEntry._meta.db
    async with write_transaction(engine):
        head = await _chain_head(engine)
        sealed = await _seal_pending(head, limit)
    return sealed.sequence - head.sequence


async def pending_reads() -> int:
    """Reads recorded but not sealed into the chain yet."""
    return int(await AuditPendingRead.count())


async def any_pending_read() -> bool:
    return bool(await AuditPendingRead.raw("SELECT 1 AS one FROM audit_pending_read LIMIT 1"))


@dataclass(frozen=True)
class _Head:
    sequence: int
    entry_hash: str


async def _chain_head(engine: Any) -> _Head:
    """The newest entry, with the chain held for this transaction (PostgreSQL: advisory lock;
    SQLite: the write transaction is the lock)."""
    if not is_sqlite(engine):
        await AuditEntry.raw("SELECT pg_advisory_xact_lock({})", _CHAIN_LOCK_KEY)
    # Fixed SQL: every write runs this, and building it through the query builder cost
    # more than running it (bench/bench_documents.py --serving).
    heads = await AuditEntry.raw(
        "SELECT sequence, entry_hash FROM audit_entry ORDER BY sequence DESC LIMIT 1"
    )
    if not heads:
        return _Head(0, GENESIS_HASH)
    return _Head(heads[0]["sequence"], heads[0]["entry_hash"])


def _fields(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    details: dict[str, Any] | None,
    at: datetime | None,
) -> dict[str, Any]:
    return {
        "at": (at or datetime.now(UTC)).astimezone(UTC),
        "actor": actor.email,
        "role": actor.role,
        "address": actor.address[:64],
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "details": _json(details or {}),
    }


async def _append(entries: list[dict[str, Any]], head: _Head) -> _Head:
    """Chain ``entries`` (content fields) after ``head`` in one insert; answers the new head."""
    rows = []
    for content in entries:
        fields = {
            **content,
            "sequence": head.sequence + 1,
            "previous_hash": head.entry_hash,
        }
        digest = entry_digest(**fields)
        rows.append(AuditEntry(**fields, entry_hash=digest))
        head = _Head(head.sequence + 1, digest)
    if rows:
        await AuditEntry.insert(*rows)
    return head


_CONTENT = ("at", "actor", "role", "address", "action", "object_type", "object_id", "details")


async def _seal_pending(head: _Head, limit: int) -> _Head:
    """Inside the chain's transaction: move waiting reads into the chain after ``head``."""
    rows = await AuditPendingRead.raw(
        "SELECT id, at, actor, role, address, action, object_type, object_id, details"
        " FROM audit_pending_read ORDER BY id LIMIT {}",
        limit,
    )
    if not rows:
        return head
    head = await _append([{k: row[k] for k in _CONTENT} for row in rows], head)
    ids = [row["id"] for row in rows]
    for start in range(0, len(ids), 500):  # SQLite takes at most 999 parameters
        await AuditPendingRead.delete().where(AuditPendingRead.id.is_in(ids[start : start + 500]))
    return head


@dataclass(frozen=True)
class ChainBreak:
    """The first entry where the chain no longer holds, and why."""

    sequence: int
    entry_id: int
    reason: str


@dataclass(frozen=True)
class ChainCheck:
    """What a walk of the chain found: entries checked, the head and the first break."""

    checked: int
    head_sequence: int
    head_hash: str
    broken: ChainBreak | None
    anchor_found: bool | None  # None when no anchor was asked for
    pending_reads: int = 0  # reads recorded, not sealed into the chain yet


async def _entries(batch_size: int = 2000) -> AsyncIterator[dict[str, Any]]:
    after: int | None = None
    while True:
        query = AuditEntry.select().order_by(AuditEntry.sequence).limit(batch_size)
        if after is not None:
            query = query.where(AuditEntry.sequence > after)
        rows = await query
        if not rows:
            return
        for row in rows:
            yield row
        after = rows[-1]["sequence"]


def _break_in(row: dict[str, Any], expected_sequence: int, expected_previous: str) -> str | None:
    """Why ``row`` does not continue the chain, or None when it does."""
    if row["sequence"] != expected_sequence:
        return f"expected sequence {expected_sequence}: an entry was removed or reordered"
    if row["previous_hash"] != expected_previous:
        return "previous_hash does not match the entry before: removed or reordered"
    digest = entry_digest(
        **{k: row[k] for k in ("sequence", "at", "actor", "role", "address", "action")},
        **{k: row[k] for k in ("object_type", "object_id", "details", "previous_hash")},
    )
    if digest != row["entry_hash"]:
        return "content was changed: entry_hash does not match the entry's fields"
    return None


async def check_chain(anchor: str | None = None) -> ChainCheck:
    """Walk the whole chain in sequence order.

    ``anchor`` is an entry hash recorded earlier (a past head): it must still be in the chain,
    which catches removing the newest entries, something the chain alone cannot show.
    """
    pending = await pending_reads()  # counted first: any sealed while walking are walked
    expected_previous, expected_sequence, checked = GENESIS_HASH, 1, 0
    anchor_found = None if anchor is None else anchor == GENESIS_HASH
    async for row in _entries():
        checked += 1
        reason = _break_in(row, expected_sequence, expected_previous)
        if reason:
            broken = ChainBreak(row["sequence"], row["id"], reason)
            return ChainCheck(
                checked, expected_sequence - 1, expected_previous, broken, anchor_found, pending
            )
        if anchor is not None and row["entry_hash"] == anchor:
            anchor_found = True
        expected_previous, expected_sequence = row["entry_hash"], expected_sequence + 1
    return ChainCheck(
        checked, expected_sequence - 1, expected_previous, None, anchor_found, pending
    )


async def verify_chain() -> tuple[int, ChainBreak | None]:
    """Walk the whole chain; answers the number of entries checked and the first break."""
    check = await check_chain()
    return check.checked, check.broken
