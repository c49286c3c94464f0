"""``tka-registry audit verify`` on an intact chain and on chains altered in the database."""

from __future__ import annotations

import re

from tests.audit.conftest import tka_registry_command
from tka_registry.audit.commands import chain_report
from tka_registry.audit.service import check_chain
from tka_registry.audit.tables import AuditEntry


async def _sql(statement: str) -> None:
    await AuditEntry._meta.db.run_ddl(statement)


async def verify(anchor: str | None = None) -> tuple[int, str]:
    """What ``audit verify`` answers, in-process (the command itself runs in two tests)."""
    code, lines = chain_report(await check_chain(anchor), anchor)
    return code, "\n".join(lines)


async def test_intact_chain_exits_zero_and_prints_the_head(db: str, five_entries) -> None:
    run = await tka_registry_command(db, "audit", "verify")
    assert run.code == 0, run.output
    assert "audit chain intact: 5 entries" in run.output
    head = await AuditEntry.select(AuditEntry.entry_hash).where(AuditEntry.sequence == 5).first()
    assert f"head: sequence 5 hash {head['entry_hash']}" in run.output


async def test_an_empty_log_is_intact(db: str) -> None:
    code, output = await verify()
    assert code == 0, output
    assert "intact: 0 entries" in output


async def test_changed_field_names_the_changed_entry(db: str, five_entries) -> None:
    await _sql(
        'UPDATE audit_entry SET details = \'{"after": {"alamat": "lain"}}\' WHERE sequence = 3'
    )
    run = await tka_registry_command(db, "audit", "verify")
    assert run.code == 1, run.output
    assert f"BROKEN at sequence 3 (entry id {five_entries[3]})" in run.output
    assert "content was changed" in run.output


async def test_changed_actor_is_caught_too(db: str, five_entries) -> None:
    await _sql("UPDATE audit_entry SET actor = 'orang@lain.test' WHERE sequence = 2")
    check = await check_chain()
    assert check.broken is not None
    assert (check.broken.sequence, check.broken.entry_id) == (2, five_entries[2])


async def test_deleted_row_names_the_entry_after_the_gap(db: str, five_entries) -> None:
    await _sql("DELETE FROM audit_entry WHERE sequence = 3")
    code, output = await verify()
    assert code == 1, output
    assert f"BROKEN at sequence 4 (entry id {five_entries[4]})" in output
    assert "expected sequence 3" in output


async def test_swapped_rows_name_the_first_moved_entry(db: str, five_entries) -> None:
    # Three steps: PostgreSQL checks the unique sequence row by row.
    await _sql("UPDATE audit_entry SET sequence = -3 WHERE sequence = 3")
    await _sql("UPDATE audit_entry SET sequence = 3 WHERE sequence = 4")
    await _sql("UPDATE audit_entry SET sequence = 4 WHERE sequence = -3")
    code, output = await verify()
    assert code == 1, output
    assert f"BROKEN at sequence 3 (entry id {five_entries[4]})" in output
    assert "reordered" in output


async def test_expected_head_catches_entries_removed_from_the_end(db: str, five_entries) -> None:
    _, first = await verify()
    head = re.search(r"hash ([0-9a-f]{64})", first)
    assert head, first
    assert (await verify(head.group(1)))[0] == 0

    # Removing the newest entry leaves a chain that is intact in itself...
    await _sql("DELETE FROM audit_entry WHERE sequence = 5")
    assert (await verify())[0] == 0
    # ...but the anchor recorded earlier is gone.
    code, output = await verify(head.group(1))
    assert code == 1, output
    assert "is not in the chain" in output


async def test_malformed_anchor_is_refused(db: str) -> None:
    run = await tka_registry_command(db, "audit", "verify", "--expect-head", "abc")
    assert run.code == 2
    assert "64-character" in run.output
