"""Reading the audit log: filtered pages for the admin API and batches for the CSV export."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from piccolo.columns.combination import Combinable

from tka_registry.audit.tables import AuditEntry
from tka_registry.rules.calendar import JAKARTA
from tka_registry.spreadsheets.cells import needs_formula_guard

CSV_COLUMNS = (
    "sequence",
    "at",
    "actor",
    "role",
    "address",
    "action",
    "object_type",
    "object_id",
    "details",
    "entry_hash",
)


@dataclass(frozen=True)
class AuditFilters:
    """Which entries to show. ``since``/``until`` are Asia/Jakarta days, both included; an
    ``action`` ending in "." matches every action it starts (``permit.`` for all permit ones)."""

    actor: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=JAKARTA)


def _conditions(filters: AuditFilters) -> list[Combinable]:
    conditions: list[Combinable] = []
    if filters.actor:
        conditions.append(AuditEntry.actor == filters.actor.strip().lower())
    if filters.object_type:
        conditions.append(AuditEntry.object_type == filters.object_type)
    if filters.object_id:
        conditions.append(AuditEntry.object_id == filters.object_id)
    if filters.action and filters.action.endswith("."):
        conditions.append(AuditEntry.action.like(filters.action.replace("%", "") + "%"))
    elif filters.action:
        conditions.append(AuditEntry.action == filters.action)
    if filters.since:
        conditions.append(AuditEntry.at >= _start_of(filters.since))
    if filters.until:
        conditions.append(AuditEntry.at < _start_of(filters.until + timedelta(days=1)))
    return conditions


async def count_entries(filters: AuditFilters) -> int:
    conditions = _conditions(filters)
    query = AuditEntry.count()
    return int(await (query.where(*conditions) if conditions else query))


async def entries_page(filters: AuditFilters, *, limit: int, offset: int) -> list[dict[str, Any]]:
    """Entries matching ``filters``, newest first."""
    conditions = _conditions(filters)
    query = AuditEntry.select().order_by(AuditEntry.sequence, ascending=False)
    if conditions:
        query = query.where(*conditions)
    return list(await query.limit(limit).offset(offset))


async def all_entries(
    filters: AuditFilters, batch_size: int = 1000
) -> AsyncIterator[dict[str, Any]]:
    """Every matching entry, oldest first, read in batches by sequence (constant memory)."""
    after = 0
    while True:
        conditions = [*_conditions(filters), AuditEntry.sequence > after]
        rows = (
            await AuditEntry.select()
            .where(*conditions)
            .order_by(AuditEntry.sequence)
            .limit(batch_size)
        )
        for row in rows:
            yield row
        if len(rows) < batch_size:
            return
        after = rows[-1]["sequence"]


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(JAKARTA).isoformat(timespec="seconds")
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + text if needs_formula_guard(text) else text


async def audit_csv(filters: AuditFilters) -> AsyncIterator[bytes]:
    """The CSV export in chunks: UTF-8 BOM and header, then about 500 rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    pending = 0
    async for row in all_entries(filters):
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
        pending += 1
        if pending == 500:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue().encode("utf-8")
