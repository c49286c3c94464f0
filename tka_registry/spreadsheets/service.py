"""Importing a workers CSV file into the registry, and exporting the registry as one.

Rows are read, planned (:mod:`spreadsheets.plan`) and written in batches of ``BATCH_ROWS``, so
memory does not grow with the file. All-or-nothing (the default) runs every batch in one write
transaction and rolls it back when any row is rejected; ``partial`` commits each batch of good
rows on its own (a row's records always commit together). A dry run rolls everything back.

Audit: one ``spreadsheet.import.rows`` entry per batch that changed something, listing each
imported or updated row (line, record ids, before/after for updates), and one
``spreadsheet.import`` summary with the counts. At 100,000 rows that is about 200 entries of
bounded size rather than 300,000 single entries, each of which serialises on the audit chain.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from piccolo.table import Table

from tka_registry.accounts.roles import Actor
from tka_registry.audit.service import record
from tka_registry.db import is_sqlite, refresh_statistics, write_transaction
from tka_registry.employers.tables import Employer
from tka_registry.permits.current import refresh_current_permits
from tka_registry.permits.service import permit_chain
from tka_registry.permits.tables import Permit, VisaIndex
from tka_registry.settings import Settings
from tka_registry.spreadsheets.columns import (
    COLUMNS,
    CellProblem,
    ImportRow,
    RawRow,
    RowErrors,
    normalise_row,
)
from tka_registry.spreadsheets.plan import Lookups, Registry, RowPlan, employer_key, plan_row
from tka_registry.spreadsheets.reading import Layout, OpenSheet
from tka_registry.spreadsheets.workbook import open_workers_file
from tka_registry.spreadsheets.writing import iter_workers_csv, spoken_values
from tka_registry.spreadsheets.xlsx import SheetWriter
from tka_registry.workers.tables import UNDATED_FIRST, Passport, Worker

BATCH_ROWS = 500
# Rows listed in a report kept in memory (the CLI prints every row as it goes).
REPORT_LIMIT = 5000
OUTCOMES = ("imported", "updated", "unchanged", "rejected")


@dataclass(frozen=True)
class RowReport:
    """What happened to one row: ``outcome`` is imported, updated, unchanged or rejected."""

    line: int
    outcome: str
    worker_id: int | None = None
    changed: tuple[str, ...] = ()
    problems: tuple[CellProblem, ...] = ()
    # Fields (sheet columns) the registry still lacks for this row: records to complete.
    incomplete: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """The report of one import: counts, and the rows (up to ``REPORT_LIMIT`` of them)."""

    file_name: str
    layout: Layout
    partial: bool
    dry_run: bool
    committed: bool = False
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    rows: list[RowReport] = field(default_factory=list)
    rows_left_off: int = 0

    @property
    def rejected_lines(self) -> list[int]:
        return [row.line for row in self.rows if row.outcome == "rejected"]

    @property
    def changed(self) -> int:
        """Workers the import added or updated."""
        return self.counts["imported"] + self.counts["updated"]

    def add(self, row: RowReport) -> None:
        self.counts[row.outcome] += 1
        if len(self.rows) < REPORT_LIMIT:
            self.rows.append(row)
        else:
            self.rows_left_off += 1


class _RollBack(Exception):
    """Raised inside the transaction to undo a dry run or a failed all-or-nothing import."""


async def import_workers(
    actor: Actor,
    source: str | IO[bytes],
    *,
    settings: Settings,
    today: date,
    now: datetime,
    partial: bool = False,
    dry_run: bool = False,
    file_name: str = "",
    sheet: str | None = None,
    on_row: Callable[[RowReport], None] | None = None,
) -> ImportReport:
    """Import a workers list, an Excel workbook (``sheet`` names the sheet, default the first
    with recognisable headers) or a CSV file, from a path or a binary stream; answers the
    per-row report.

    Raises :class:`~tka_registry.spreadsheets.reading.SpreadsheetRefused` for a file that is not
    a usable workers list; nothing is written then.
    """
    with open_workers_file(source, sheet) as opened:
        name = file_name or (os.path.basename(source) if isinstance(source, str) else "")
        report = ImportReport(name, opened.layout, partial, dry_run)

        def note(row: RowReport) -> None:
            report.add(row)
            if on_row is not None:
                on_row(row)

        registry = await _load_registry()
        engine = Worker._meta.db
        batches = _batches(opened)
        if partial and not dry_run:
            for batch in batches:
                async with write_transaction(engine):
                    await _import_batch(actor, batch, opened, registry, settings, today, now, note)
            report.committed = True
            if report.changed:
                async with write_transaction(engine):
                    await _record_summary(actor, report)
        else:
            try:
                async with write_transaction(engine):
                    await _import_pipelined(
                        actor, batches, opened, registry, settings, today, now, note
                    )
                    if dry_run or report.counts["rejected"]:
                        raise _RollBack
                    if report.changed:
                        await _record_summary(actor, report)
                report.committed = True
            except _RollBack:
                pass
    if report.committed:
        await refresh_statistics(engine, report.changed)
    return report


def _batches(sheet: OpenSheet) -> Iterator[list[RawRow]]:
    rows = iter(sheet)
    while batch := list(itertools.islice(rows, BATCH_ROWS)):
        yield batch


async def _load_registry() -> Registry:
    by_npwp: dict[str, dict[str, Any]] = {}
    by_name: dict[str, list[dict[str, Any]]] = {}
    columns = (Employer.id, Employer.name, Employer.nib, Employer.npwp, Employer.address,
               Employer.regency, Employer.sector)  # fmt: skip
    for employer in await Employer.select(*columns):
        if employer["npwp"]:
            by_npwp[employer["npwp"]] = employer
        by_name.setdefault(employer_key(employer["name"]), []).append(employer)
    indexes = {index["code"]: index for index in await VisaIndex.select()}
    return Registry(by_npwp, by_name, indexes)


async def _record_summary(actor: Actor, report: ImportReport) -> None:
    details = {
        "file": report.file_name,
        "mode": "partial" if report.partial else "all_or_nothing",
        "counts": report.counts,
        "encoding": report.layout.encoding,
        "delimiter": report.layout.delimiter,
        "sheet": report.layout.sheet,
    }
    await record(actor, "spreadsheet.import", "spreadsheet", report.file_name[:40], details)


async def _lookups(rows: list[ImportRow]) -> Lookups:
    """The passports, workers, current permits and permits a batch names, in four queries."""
    numbers = sorted({row.passport_number for row in rows})
    keys = {(row.passport_number, row.passport_issuing_country) for row in rows}
    passports: dict[tuple[str, str], dict[str, Any]] = {}
    if numbers:
        sql = f"SELECT * FROM passport WHERE number IN ({_marks(len(numbers))})"  # noqa: S608
        for passport in await _fetch(sql, numbers):
            key = (passport["number"], passport["issuing_country"])
            if key in keys:
                passports[key] = passport
    ids = sorted({passport["worker"] for passport in passports.values()})
    workers: dict[int, dict[str, Any]] = {}
    heads: dict[int, dict[str, Any]] = {}
    if ids:
        found = await _fetch(f"SELECT * FROM worker WHERE id IN ({_marks(len(ids))})", ids)  # noqa: S608
        workers = {worker["id"]: worker for worker in found}
        sql = f"SELECT * FROM permit WHERE is_current AND worker IN ({_marks(len(ids))})"  # noqa: S608
        heads = {permit["worker"]: permit for permit in await _fetch(sql, ids)}
    permit_numbers = sorted({row.permit_number for row in rows if row.permit_number})
    permits: dict[str, dict[str, Any]] = {}
    if permit_numbers:
        sql = f"SELECT * FROM permit WHERE number IN ({_marks(len(permit_numbers))})"  # noqa: S608
        permits = {permit["number"]: permit for permit in await _fetch(sql, permit_numbers)}
    return Lookups(passports, workers, permits, heads)


async def _import_batch(
    actor: Actor,
    batch: list[RawRow],
    sheet: OpenSheet,
    registry: Registry,
    settings: Settings,
    today: date,
    now: datetime,
    note: Callable[[RowReport], None],
) -> None:
    """Plan every row of the batch against the registry, then write the good ones together."""
    normalised = [normalise_row(raw, settings.regencies) for raw in batch]
    plans, outcomes = await _plan_batch(normalised, sheet, registry, settings, today)
    await _write_batch(actor, plans, outcomes, now, note)


async def _import_pipelined(
    actor: Actor,
    batches: Iterator[list[RawRow]],
    sheet: OpenSheet,
    registry: Registry,
    settings: Settings,
    today: date,
    now: datetime,
    note: Callable[[RowReport], None],
) -> None:
    """Every batch in the open transaction; the next batch is read and normalised in a thread
    while the database writes the previous one (the drivers wait for the database without
    holding the interpreter). Lookups wait for the previous write, so they see its rows."""

    def next_normalised() -> list[ImportRow | RowErrors] | None:
        batch = next(batches, None)
        return None if batch is None else [normalise_row(r, settings.regencies) for r in batch]

    writing: asyncio.Task[None] | None = None
    try:
        while (normalised := await asyncio.to_thread(next_normalised)) is not None:
            if writing is not None:
                await writing
            plans, outcomes = await _plan_batch(normalised, sheet, registry, settings, today)
            writing = asyncio.create_task(_write_batch(actor, plans, outcomes, now, note))
        if writing is not None:
            await writing
    finally:
        if writing is not None and not writing.done():
            writing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writing


async def _plan_batch(
    normalised: list[ImportRow | RowErrors],
    sheet: OpenSheet,
    registry: Registry,
    settings: Settings,
    today: date,
) -> tuple[list[RowPlan], list[RowReport | RowPlan]]:
    if not is_sqlite(Worker._meta.db):
        # Prepared statements would keep the plan made while the tables were nearly empty
        # (sequential scans), which makes a large import quadratic; plan each batch afresh.
        await _fetch("SET LOCAL plan_cache_mode = force_custom_plan", [])
    lookups = await _lookups([row for row in normalised if isinstance(row, ImportRow)])
    plans: list[RowPlan] = []
    outcomes: list[RowReport | RowPlan] = []
    headers = sheet.layout.headers
    for row in normalised:
        if isinstance(row, ImportRow):
            planned = await plan_row(
                row,
                headers,
                lookups,
                registry,
                settings=settings,
                today=today,
                load_chain=permit_chain,
            )
        else:
            planned = row
        if isinstance(planned, RowPlan):
            plans.append(planned)
            outcomes.append(planned)
        else:
            outcomes.append(RowReport(planned.line, "rejected", problems=planned.problems))
    return plans, outcomes


async def _write_batch(
    actor: Actor,
    plans: list[RowPlan],
    outcomes: list[RowReport | RowPlan],
    now: datetime,
    note: Callable[[RowReport], None],
) -> None:
    await _write(actor, plans, now)
    for outcome in outcomes:
        if isinstance(outcome, RowPlan):
            note(
                RowReport(
                    outcome.line,
                    outcome.outcome,
                    outcome.worker_id,
                    outcome.changed,
                    incomplete=outcome.incomplete,
                )
            )
        else:
            note(outcome)


async def _write(actor: Actor, plans: list[RowPlan], now: datetime) -> None:
    """Insert new employers, new workers and passports in bulk, update known ones, issue new
    permits."""
    deferred = not is_sqlite(Worker._meta.db)
    if deferred:
        # The search index's insert triggers would refresh a new worker three times (worker,
        # passport, permit); it is refreshed once below (migration 2026-12-01T32).
        await _fetch("SET LOCAL tka.search_deferred = 'on'", [])
    await _insert_new_employers(actor, plans, now)
    new = [plan for plan in plans if plan.is_new]
    if new:
        stamps = {"current_permit_id": None, "created_at": now, "updated_at": now}
        worker_ids = await _insert(Worker, [plan.worker_values | stamps for plan in new])
        for plan, worker_id in zip(new, worker_ids, strict=True):
            plan.worker_id = worker_id
        passports = [
            plan.passport_values | {"worker": plan.worker_id, "created_at": now} for plan in new
        ]
        for plan, passport_id in zip(new, await _insert(Passport, passports), strict=True):
            plan.passport_id = passport_id
    for plan in plans:
        if plan.is_new:
            continue
        if plan.worker_values or plan.permit_values:
            worker_changes: dict[Any, Any] = {**plan.worker_values, Worker.updated_at: now}
            await Worker.update(worker_changes).where(Worker.id == plan.worker_id)
        if plan.passport_values:
            passport_changes: dict[Any, Any] = dict(plan.passport_values)
            await Passport.update(passport_changes).where(Passport.id == plan.passport_id)
    permit_ids = await _issue_permits([plan for plan in plans if plan.permit_values], now)
    if deferred:
        inserted = {plan.worker_id for plan in plans if plan.is_new or plan.permit_values}
        if inserted:
            await _fetch("SELECT worker_search_refresh({}::integer[])", [sorted(inserted)])
    changed = [plan for plan in plans if plan.outcome != "unchanged"]
    if changed:
        entries = [_audit_row(plan, permit_ids) for plan in changed]
        await record(actor, "spreadsheet.import.rows", "worker", "", {"rows": entries})


async def _insert_new_employers(actor: Actor, plans: list[RowPlan], now: datetime) -> None:
    """Insert each employer the rows name and the registry lacked (once: rows share its record,
    plan.Registry.new_employer), incomplete (see rules.completeness), and put its id in the
    rows' values."""
    for plan in plans:
        for values in (plan.worker_values, plan.permit_values or {}):
            employer = values.get("employer")
            if not isinstance(employer, dict):
                continue
            if employer["id"] is None:
                row = {"name": employer["name"], "nib": None, "npwp": employer["npwp"],
                       "address": "", "regency": "", "sector": "", "email": "", "phone": "",
                       "created_at": now, "updated_at": now}  # fmt: skip
                employer["id"] = (await _insert(Employer, [row]))[0]
                employer.update(nib=None, address="", regency="", sector="")
                details = {"after": {"name": row["name"], "npwp": row["npwp"]},
                           "source": "spreadsheet", "incomplete": True}  # fmt: skip
                await record(actor, "employer.create", "employer", employer["id"], details)
            values["employer"] = employer["id"]


async def _fetch(sql: str, arguments: list[Any]) -> list[dict[str, Any]]:
    """Run ``sql`` (``{}`` marks each parameter) on the open write transaction's connection.

    Piccolo compiles a query string in time that grows with its parameters (about 0.1 s for
    the 7,000 of a 500-row insert), more than the database's own work; batches of rows go to
    the driver directly. Values still travel as parameters, adapted by the drivers exactly as
    for Piccolo's own queries (same connection, same adapters).
    """
    engine = Worker._meta.db
    transaction = engine.current_transaction.get()
    assert transaction is not None, "batches run inside write_transaction"
    if is_sqlite(engine):
        rows = await transaction.connection.execute_fetchall(sql.replace("{}", "?"), arguments)
        return [dict(row) for row in rows]
    numbered = sql.split("{}")
    sql = numbered[0] + "".join(f"${n}{part}" for n, part in enumerate(numbered[1:], 1))
    return [dict(row) for row in await transaction.connection.fetch(sql, *arguments)]


def _marks(count: int) -> str:
    return ", ".join("{}" for _ in range(count))


async def _insert(table: type[Table], rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (dicts with the same keys) in one statement; answers their ids in order
    (both engines answer RETURNING in VALUES order; Piccolo's own bulk insert relies on it)."""
    columns = list(rows[0])
    names = ", ".join(f'"{column}"' for column in columns)
    if is_sqlite(table._meta.db):
        values = "VALUES " + ", ".join(f"({_marks(len(columns))})" for _ in rows)
        arguments = [row[column] for row in rows for column in columns]
    else:
        # One array per column keeps the statement short, so PostgreSQL prepares it once.
        types = [table._meta.get_column_by_name(column).column_type for column in columns]
        arrays = ", ".join(f"{{}}::{kind}[]" for kind in types)
        values = f"SELECT * FROM unnest({arrays})"  # noqa: S608
        arguments = [[row[column] for row in rows] for column in columns]
    # Names come from the code's own dicts; every value travels as a parameter.
    sql = f"INSERT INTO {table._meta.tablename} ({names}) {values} RETURNING id"
    return [row["id"] for row in await _fetch(sql, arguments)]


async def _issue_permits(plans: list[RowPlan], now: datetime) -> dict[int, int]:
    """Insert the new permits, superseding each worker's current one; answers id by line."""
    if not plans:
        return {}
    for plan in plans:
        if plan.supersedes is not None:
            await Permit.update({Permit.is_current: False}).where(
                Permit.id == plan.supersedes["id"]
            )
    extra = {"is_current": True, "revoked_on": None, "revocation_reason": None, "created_at": now}
    values = [(plan.permit_values or {}) | {"worker": plan.worker_id} | extra for plan in plans]
    inserted = await _insert(Permit, values)
    ids = {plan.line: permit_id for plan, permit_id in zip(plans, inserted, strict=True)}
    # Every plan here has its worker: new workers were inserted before their permits.
    await refresh_current_permits([plan.worker_id for plan in plans if plan.worker_id])
    return ids


def _audit_row(plan: RowPlan, permit_ids: dict[int, int]) -> dict[str, Any]:
    entry: dict[str, Any] = {"line": plan.line, "outcome": plan.outcome, "worker": plan.worker_id}
    if not plan.is_new:
        if plan.worker_values:
            entry["before"] = plan.worker_before
            entry["after"] = plan.worker_values
        if plan.passport_values:
            entry["passport"] = plan.passport_id
            entry["passport_before"] = plan.passport_before
            entry["passport_after"] = plan.passport_values
    if plan.line in permit_ids:
        entry["permit"] = permit_ids[plan.line]
        entry["permit_number"] = (plan.permit_values or {}).get("number")
        if plan.supersedes is not None:
            entry["supersedes"] = plan.supersedes["id"]
    return entry


EXPORT_PAGE_ROWS = 1000
_EXPORT_SQL = """
SELECT w.id, w.full_name, w.sex, w.date_of_birth, w.place_of_birth, w.nationality, w.address,
       w.regency, w.position, e.name AS employer_name, e.npwp AS employer_npwp,
       p.kind AS permit_kind, p.visa_index AS visa_index, p.number AS permit_number,
       p.issued_on AS permit_issued_on, p.expires_on AS permit_expires_on
FROM worker w
LEFT JOIN employer e ON e.id = w.employer
LEFT JOIN permit p ON p.id = w.current_permit_id
WHERE w.id > {} ORDER BY w.id LIMIT {}
"""


async def export_csv(
    *, language: str = "id", delimiter: str = ",", counted: list[int] | None = None
) -> AsyncIterator[bytes]:
    """The registry as a workers CSV file in chunks of bytes (UTF-8 with BOM, the canonical
    headers in ``language``), which :func:`import_workers` reads back unchanged. ``counted[0]``,
    when given, is increased by the rows written."""
    yield next(iter_workers_csv([], language=language, delimiter=delimiter))
    async for page in export_pages():
        if counted is not None:
            counted[0] += len(page)
        chunks = iter_workers_csv(page, language=language, delimiter=delimiter)
        next(chunks)  # the BOM and header, sent once above
        for chunk in chunks:
            yield chunk


# Column widths of the workbook export, in characters (the header's own length at least).
_WIDTHS = {"full_name": 28, "address": 40, "employer_name": 32, "position": 24, "regency": 24,
           "place_of_birth": 18, "permit_number": 18, "employer_npwp": 18}  # fmt: skip


async def export_xlsx(stream: IO[bytes], *, language: str = "id") -> int:
    """The registry as a workbook (typed cells: dates as dates; frozen header row; column
    widths) in the columns of :data:`columns.COLUMNS`, which :func:`import_workers` reads back
    unchanged. Answers the rows written; memory stays flat (pages of rows, constant-memory
    writer)."""
    headers = [column.header(language) for column in COLUMNS]
    widths = [max(len(header) + 2, _WIDTHS.get(column.field, 12))
              for header, column in zip(headers, COLUMNS, strict=True)]  # fmt: skip
    writer = SheetWriter(stream, "TKA" if language == "id" else "Workers", headers, widths)
    async for page in export_pages():
        await writer.add_rows([spoken_values(row, language) for row in page])
    writer.close()
    return writer.rows


async def export_pages() -> AsyncIterator[list[dict[str, Any]]]:
    """Every worker as rows of :data:`columns.COLUMNS`, a page at a time: the newest passport
    (by expiry) and the current permit. Memory stays flat whatever the registry's size."""
    after = 0
    while True:
        workers = await Worker.raw(_EXPORT_SQL, after, EXPORT_PAGE_ROWS)
        if not workers:
            return
        ids = [worker["id"] for worker in workers]
        newest: dict[int, dict[str, Any]] = {}
        passports = (
            Passport.select()
            .where(Passport.worker.is_in(ids))
            .order_by(UNDATED_FIRST)
            .order_by(Passport.expires_on)
            .order_by(Passport.id)
        )
        for passport in await passports:
            newest[passport["worker"]] = passport  # later rows expire later
        yield [
            {
                **worker,
                "passport_number": newest.get(worker["id"], {}).get("number"),
                "passport_issuing_country": newest.get(worker["id"], {}).get("issuing_country"),
                "passport_issued_on": newest.get(worker["id"], {}).get("issued_on"),
                "passport_expires_on": newest.get(worker["id"], {}).get("expires_on"),
            }
            for worker in workers
        ]
        after = ids[-1]
