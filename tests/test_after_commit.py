"""Work queued with ``after_commit`` runs after the outermost write transaction commits, outside
it, and never after a rollback (how a permit's document is rendered after an approval)."""

from __future__ import annotations

import pytest

from tka_registry.db import after_commit, write_transaction
from tka_registry.employers.tables import Employer


async def test_work_waits_for_the_outermost_commit_and_runs_outside_it(db: str) -> None:
    engine = Employer._meta.db
    seen: list[str] = []

    async def work() -> None:
        seen.append("in a transaction" if engine.transaction_exists() else "after the commit")

    async with write_transaction(engine):
        async with write_transaction(engine):  # joins the outer one, as an approval's issue does
            await after_commit(work)
        assert seen == []
    assert seen == ["after the commit"]


async def test_work_is_dropped_when_the_transaction_rolls_back(db: str) -> None:
    engine = Employer._meta.db
    seen: list[str] = []

    async def work() -> None:
        seen.append("ran")

    with pytest.raises(RuntimeError):
        async with write_transaction(engine):
            await after_commit(work)
            raise RuntimeError("the change fails")
    assert seen == []
    async with write_transaction(engine):  # and nothing is left queued for the next one
        pass
    assert seen == []


async def test_without_a_transaction_work_runs_at_once(db: str) -> None:
    seen: list[str] = []

    async def work() -> None:
        seen.append("ran")

    await after_commit(work)
    assert seen == ["ran"]
