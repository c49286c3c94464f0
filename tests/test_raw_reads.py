"""Fixed reads sent to the driver (raw_reads.fetch_rows) answer what ``Table.raw`` answers:
the same rows and typed values, inside the task's transaction when there is one, on the pool
otherwise; a statement whose values do not match its placeholders is refused."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import account
from tka_registry.accounts.tables import Account
from tka_registry.db import close_database, open_database, write_transaction
from tka_registry.raw_reads import fetch_rows, native_sql


def test_placeholders_become_the_drivers_own() -> None:
    sql = "SELECT a FROM t WHERE b = {} AND c IN ({}, {})"
    assert native_sql(sql, "postgres") == ("SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)", 3)
    assert native_sql(sql, "sqlite") == ("SELECT a FROM t WHERE b = ? AND c IN (?, ?)", 3)
    assert native_sql("SELECT 1", "postgres") == ("SELECT 1", 0)


async def test_rows_match_the_query_builders(db: str) -> None:
    email = await account("officer")
    sql = "SELECT id, email, role, is_active, created_at FROM account WHERE email = {}"
    built = await Account.raw(sql, email)
    fetched = await fetch_rows(Account, sql, email)
    assert [dict(row) for row in fetched] == built
    assert fetched[0]["email"] == email
    assert bool(fetched[0]["is_active"]) is True


async def test_values_keep_their_types(db: str) -> None:
    rows = await fetch_rows(
        Account, "SELECT count(*) AS n FROM account WHERE created_at > {}", date(2000, 1, 1)
    )
    assert rows[0]["n"] == 0


async def test_a_read_inside_a_transaction_sees_its_writes(db: str) -> None:
    """The token lookup or a list inside a change reads the change, not the committed state."""
    engine = Account._meta.db
    await open_database(engine)  # the app's pool: outside a transaction reads go there
    try:
        email = await account("officer")
        sql = "SELECT role FROM account WHERE email = {}"
        async with write_transaction(engine):
            await Account.update({Account.role: "admin"}).where(Account.email == email)
            inside = await fetch_rows(Account, sql, email)
            assert inside[0]["role"] == "admin"
        outside = await fetch_rows(Account, sql, email)
        assert outside[0]["role"] == "admin"
        with pytest.raises(RuntimeError):
            async with write_transaction(engine):
                await Account.update({Account.role: "officer"}).where(Account.email == email)
                raise RuntimeError("the change fails")
        assert (await fetch_rows(Account, sql, email))[0]["role"] == "admin"
    finally:
        await close_database(engine)


async def test_values_must_match_the_placeholders(db: str) -> None:
    with pytest.raises(ValueError, match="2 placeholders but 1 values"):
        await fetch_rows(Account, "SELECT id FROM account WHERE email = {} AND role = {}", "x")
