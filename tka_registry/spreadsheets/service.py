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

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from tka_registry.accounts.roles import Actor
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.employers.tables import Employer
from tka_registry.permits.service import _chain
from tka_registry.permits.tables import Permit, VisaIndex
from tka_registry.settings import Settings
from tka_registry.spreadsheets.columns import CellProblem, ImportRow, RawRow, normalise_row
from tka_registry.spreadsheets.plan import Lookups, Registry, RowPlan, employer_key, plan_row
from tka_registry.spreadsheets.reading import Layout, WorkersSheet, open_workers_csv
from tka_registry.spreadsheets.writing import iter_workers_csv
from tka_registry.workers.tables import Passport, Worker

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
    on_row: Callable[[RowReport], None] | None = None,
) -> ImportReport:
    """Import a workers CSV file (a path or a binary stream); answers the per-row report.

    Raises :class:`~tka_registry.spreadsheets.reading.SpreadsheetRefused` for a file that is not
    a usable workers list; nothing is written then.
    """
    with open_workers_csv(source) as sheet:
        report = ImportReport(file_name or str(source), sheet.layout, partial, dry_run)

        def note(row: RowReport) -> None:
            report.add(row)
            if on_row is not None:
                on_row(row)

        registry = await _load_registry()
        engine = Worker._meta.db
        batches = _batches(sheet)
        if partial and not dry_run:
            for batch in batches:
                async with write_transaction(engine):
                    await _import_batch(actor, batch, sheet, registry, settings, today, now, note)
            report.committed = True
            if report.counts["imported"] or report.counts["updated"]:
                async with write_transaction(engine):
                    await _record_summary(actor, report)
            return report
        try:
            async with write_transaction(engine):
                for batch in batches:
                    await _import_batch(actor, batch, sheet, registry, settings, today, now, note)
                if dry_run or report.counts["rejected"]:
                    raise _RollBack
                if report.counts["imported"] or report.counts["updated"]:
                    await _record_summary(actor, report)
            report.committed = True
        except _RollBack:
            pass
    return report


def _batches(sheet: WorkersSheet) -> Iterator[list[RawRow]]:
    rows = iter(sheet)
    while batch := list(itertools.islice(rows, BATCH_ROWS)):
        yield batch


async def _load_registry() -> Registry:
    by_npwp: dict[str, dict[str, Any]] = {}
    by_name: dict[str, list[dict[str, Any]]] = {}
    for employer in await Employer.select(Employer.id, Employer.name, Employer.npwp):
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
    }
    await record(actor, "spreadsheet.import", "spreadsheet", report.file_name, details)


async def _lookups(rows: list[ImportRow]) -> Lookups:
    numbers = sorted({row.passport_number for row in rows})
    keys = {(row.passport_number, row.passport_issuing_country) for row in rows}
    passports: dict[tuple[str, str], dict[str, Any]] = {}
    if numbers:
        for passport in await Passport.select().where(Passport.number.is_in(numbers)):
            key = (passport["number"], passport["issuing_country"])
            if key in keys:
                passports[key] = passport
    worker_ids = sorted({passport["worker"] for passport in passports.values()})
    workers: dict[int, dict[str, Any]] = {}
    heads: dict[int, dict[str, Any]] = {}
    if worker_ids:
        workers = {w["id"]: w for w in await Worker.select().where(Worker.id.is_in(worker_ids))}
        current = Permit.is_current.eq(True)
        heads = {
            permit["worker"]: permit
            for permit in await Permit.select().where(Permit.worker.is_in(worker_ids) & current)
        }
    permit_numbers = sorted({row.permit_number for row in rows if row.permit_number})
    permits: dict[str, dict[str, Any]] = {}
    if permit_numbers:
        found = await Permit.select().where(Permit.number.is_in(permit_numbers))
        permits = {permit["number"]: permit for permit in found}
    return Lookups(passports, workers, permits, heads)


async def _import_batch(
    actor: Actor,
    batch: list[RawRow],
    sheet: WorkersSheet,
    registry: Registry,
    settings: Settings,
    today: date,
    now: datetime,
    note: Callable[[RowReport], None],
) -> None:
    """Plan every row of the batch against the registry, then write the good ones together."""
    normalised = [normalise_row(raw, settings.regencies) for raw in batch]
    lookups = await _lookups([row for row in normalised if isinstance(row, ImportRow)])
    plans: list[RowPlan] = []
    outcomes: list[RowReport | RowPlan] = []
    headers = sheet.layout.headers
    for row in normalised:
        if isinstance(row, ImportRow):
            planned = await plan_row(
                row, headers, lookups, registry, settings=settings, today=today, load_chain=_chain
            )
        else:
            planned = row
        if isinstance(planned, RowPlan):
            plans.append(planned)
            outcomes.append(planned)
        else:
            outcomes.append(RowReport(planned.line, "rejected", problems=planned.problems))
    await _write(actor, plans, now)
    for outcome in outcomes:
        if isinstance(outcome, RowPlan):
            note(RowReport(outcome.line, outcome.outcome, outcome.worker_id, outcome.changed))
        else:
            note(outcome)


async def _write(actor: Actor, plans: list[RowPlan], now: datetime) -> None:
    """Insert new workers and passports in bulk, update known ones, issue new permits."""
    new = [plan for plan in plans if plan.is_new]
    if new:
        rows = await Worker.insert(
            *(Worker(**plan.worker_values, created_at=now, updated_at=now) for plan in new)
        )
        # Piccolo itself relies on RETURNING answering in VALUES order (both engines).
        for plan, inserted in zip(new, rows, strict=True):
            plan.worker_id = inserted["id"]
        passports = await Passport.insert(
            *(
                Passport(**plan.passport_values, worker=plan.worker_id, created_at=now)
                for plan in new
            )
        )
        for plan, inserted in zip(new, passports, strict=True):
            plan.passport_id = inserted["id"]
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
    changed = [plan for plan in plans if plan.outcome != "unchanged"]
    if changed:
        entries = [_audit_row(plan, permit_ids) for plan in changed]
        await record(actor, "spreadsheet.import.rows", "worker", "", {"rows": entries})


async def _issue_permits(plans: list[RowPlan], now: datetime) -> dict[int, int]:
    """Insert the new permits, superseding each worker's current one; answers id by line."""
    if not plans:
        return {}
    for plan in plans:
        if plan.supersedes is not None:
            await Permit.update({Permit.is_current: False}).where(
                Permit.id == plan.supersedes["id"]
            )
    rows = await Permit.insert(
        *(
            Permit(
                **(plan.permit_values or {}),
                worker=plan.worker_id,
                is_current=True,
                created_at=now,
            )
            for plan in plans
        )
    )
    ids = {plan.line: inserted["id"] for plan, inserted in zip(plans, rows, strict=True)}
    # One statement sets every worker's current permit of the batch; values are parameters.
    cases = " ".join("WHEN {} THEN {}" for _ in plans)
    arguments: list[Any] = []
    for plan in plans:
        arguments += [plan.worker_id, ids[plan.line]]
    placeholders = ", ".join("{}" for _ in plans)
    await Worker.raw(
        f"UPDATE worker SET current_permit_id = CASE id {cases} END "  # noqa: S608
        f"WHERE id IN ({placeholders})",
        *arguments,
        *(plan.worker_id for plan in plans),
    )
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
