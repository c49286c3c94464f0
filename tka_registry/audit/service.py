"""Writing and checking the audit chain.

Each entry's hash covers its content and the previous entry's hash, so changing, removing or
reordering any entry breaks the chain from there on. An entry is written inside the transaction
of the change it records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.audit.tables import AuditEntry
from tka_registry.db import is_sqlite, write_transaction

GENESIS_HASH = "0" * 64
# Any constant works: it names the advisory lock that serialises appends on PostgreSQL.
_CHAIN_LOCK_KEY = 7_310_466


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
    """Append one entry; joins the caller's transaction so it commits or rolls back with it."""
    engine = AuditEntry._meta.db
    async with write_transaction(engine):
        if not is_sqlite(engine):
            await AuditEntry.raw("SELECT pg_advisory_xact_lock({})", _CHAIN_LOCK_KEY)
        # Fixed SQL: every write runs this, and building it through the query builder cost
        # more than running it (bench/bench_documents.py --serving).
        heads = await AuditEntry.raw(
            "SELECT sequence, entry_hash FROM audit_entry ORDER BY sequence DESC LIMIT 1"
        )
        last = heads[0] if heads else None
        sequence = (last["sequence"] + 1) if last else 1
        previous_hash = last["entry_hash"] if last else GENESIS_HASH
        fields: dict[str, Any] = {
            "sequence": sequence,
            "at": (at or datetime.now(UTC)).astimezone(UTC),
            "actor": actor.email,
            "role": actor.role,
            "address": actor.address[:64],
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "details": _json(details or {}),
            "previous_hash": previous_hash,
        }
        await AuditEntry.insert(AuditEntry(**fields, entry_hash=entry_digest(**fields)))


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
    expected_previous, expected_sequence, checked = GENESIS_HASH, 1, 0
    anchor_found = None if anchor is None else anchor == GENESIS_HASH
    async for row in _entries():
        checked += 1
        reason = _break_in(row, expected_sequence, expected_previous)
        if reason:
            broken = ChainBreak(row["sequence"], row["id"], reason)
            return ChainCheck(
                checked, expected_sequence - 1, expected_previous, broken, anchor_found
            )
        if anchor is not None and row["entry_hash"] == anchor:
            anchor_found = True
        expected_previous, expected_sequence = row["entry_hash"], expected_sequence + 1
    return ChainCheck(checked, expected_sequence - 1, expected_previous, None, anchor_found)


async def verify_chain() -> tuple[int, ChainBreak | None]:
    """Walk the whole chain; answers the number of entries checked and the first break."""
    check = await check_chain()
    return check.checked, check.broken
