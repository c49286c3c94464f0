"""What one normalised row changes in the registry, decided against records looked up per batch.

Nothing here writes. A row becomes a :class:`RowPlan` (a new worker, changes to a known one,
a new permit) or :class:`RowErrors` naming the column and the reason. A worker is recognised by
passport number and issuing country; an employer by NPWP, else by name; a permit by its number.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tka_registry.permits.schemas import PermitIn
from tka_registry.permits.service import length_breaches
from tka_registry.rules import permits as permit_rules
from tka_registry.rules.completeness import missing_fields
from tka_registry.rules.nationality import fold
from tka_registry.settings import Settings
from tka_registry.spreadsheets.cells import Reason
from tka_registry.spreadsheets.columns import COLUMNS_BY_FIELD, CellProblem, ImportRow, RowErrors
from tka_registry.workers.tables import Worker

# Worker columns a sheet may leave empty; a known worker then keeps what is on record.
OPTIONAL_WORKER_FIELDS = ("place_of_birth", "address", "regency", "position")
# Where a permit rule's field (permits.service / rules.permits) is found in the sheet.
PERMIT_FIELD_COLUMNS = {
    "kind": "permit_kind",
    "visa_index": "visa_index",
    "number": "permit_number",
    "issued_on": "permit_issued_on",
    "valid_from": "permit_issued_on",
    "expires_on": "permit_expires_on",
    "employer_id": "employer_name",
    "supersedes_id": "permit_number",
}

PassportKey = tuple[str, str]
ChainLoader = Callable[[int | None], Awaitable[list[permit_rules.PermitSpan]]]


def employer_key(name: str) -> str:
    """Employer names compared without case, accents or punctuation ("PT. Pusri" = "pt pusri")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())


@dataclass(frozen=True)
class Registry:
    """Reference records loaded once per import: employers and visa indexes (both small).

    An employer the sheet names and the registry lacks is added here once, with ``id`` None
    until it is inserted, so every later row naming it gets the same one (never two)."""

    employers_by_npwp: dict[str, dict[str, Any]]
    employers_by_name: dict[str, list[dict[str, Any]]]
    visa_indexes: Mapping[str, dict[str, Any]]

    def new_employer(self, name: str, npwp: str | None) -> dict[str, Any]:
        employer: dict[str, Any] = {"id": None, "name": name, "npwp": npwp}
        self.employers_by_name.setdefault(employer_key(name), []).append(employer)
        if npwp:
            self.employers_by_npwp[npwp] = employer
        return employer


@dataclass
class Lookups:
    """The records a batch of rows may touch, each looked up once for the whole batch."""

    passports: dict[PassportKey, dict[str, Any]]
    workers: dict[int, dict[str, Any]]
    permits: dict[str, dict[str, Any]]
    heads: dict[int, dict[str, Any]]
    # Keys used by earlier rows of the batch, so a repeated row is named instead of applied twice.
    seen_passports: dict[PassportKey, int] = field(default_factory=dict)
    seen_permits: dict[str, int] = field(default_factory=dict)
    seen_workers: dict[int, int] = field(default_factory=dict)


@dataclass(eq=False)
class RowPlan:
    """The changes of one good row. ``worker_id`` None means a new worker (and passport)."""

    line: int
    worker_id: int | None
    worker_values: dict[str, Any]
    worker_before: dict[str, Any]
    passport_id: int | None
    passport_values: dict[str, Any]
    passport_before: dict[str, Any]
    permit_values: dict[str, Any] | None = None
    supersedes: dict[str, Any] | None = None
    # Sheet columns whose value the registry still lacks after this row (records to complete).
    incomplete: tuple[str, ...] = ()
    is_new: bool = field(init=False)

    def __post_init__(self) -> None:
        self.is_new = self.worker_id is None  # worker_id is filled in once inserted

    @property
    def outcome(self) -> str:
        if self.is_new:
            return "imported"
        if self.worker_values or self.passport_values or self.permit_values:
            return "updated"
        return "unchanged"

    @property
    def changed(self) -> tuple[str, ...]:
        """Names of the columns that change (for a known worker)."""
        names = [*self.worker_values, *(f"passport_{name}" for name in self.passport_values)]
        names = [name for name in names if name not in {"name_folded", "updated_at"}]
        if self.permit_values:
            names.append("permit_number")
        return tuple(names)


class _Rejected(Exception):
    def __init__(self, problems: list[tuple[str | None, Reason]]) -> None:
        super().__init__("row rejected")
        self.problems = problems


def _reject(field_name: str, indonesian: str, english: str) -> _Rejected:
    return _Rejected([(field_name, Reason(indonesian, english))])


async def plan_row(
    row: ImportRow,
    headers: Mapping[str, str],
    lookups: Lookups,
    registry: Registry,
    *,
    settings: Settings,
    today: date,
    load_chain: ChainLoader,
) -> RowPlan | RowErrors:
    """The plan for ``row``, or every reason it cannot be applied."""
    try:
        plan = await _plan(row, lookups, registry, settings, today, load_chain)
    except _Rejected as rejected:
        problems = tuple(
            CellProblem(row.line, name, _header(headers, name), reason)
            for name, reason in rejected.problems
        )
        return RowErrors(row.line, problems)
    key = (row.passport_number, row.passport_issuing_country)
    lookups.seen_passports[key] = row.line
    if row.permit_number:
        lookups.seen_permits[row.permit_number] = row.line
    if plan.worker_id is not None:
        lookups.seen_workers[plan.worker_id] = row.line
    return plan


def _header(headers: Mapping[str, str], name: str | None) -> str:
    if name is None:
        return ""
    return headers.get(name) or COLUMNS_BY_FIELD[name].indonesian


async def _plan(
    row: ImportRow,
    lookups: Lookups,
    registry: Registry,
    settings: Settings,
    today: date,
    load_chain: ChainLoader,
) -> RowPlan:
    _check_repeats(row, lookups)
    _check_not_future(row, today)
    passport = lookups.passports.get((row.passport_number, row.passport_issuing_country))
    employer_given, employer = _employer(row, registry)
    values = _worker_values(row, employer_given, employer)
    if passport is None:
        plan = _new_worker(row, values)
        worker_employer = plan.worker_values["employer"]
    else:
        plan = _known_worker(row, values, lookups.workers[passport["worker"]], passport)
        worker_employer = values.get("employer", lookups.workers[passport["worker"]]["employer"])
    if row.has_permit:
        passport_expiry = row.passport_expires_on or (passport or {}).get("expires_on")
        await _plan_permit(
            plan, row, worker_employer, passport_expiry, lookups, registry, settings, load_chain
        )
    worker = lookups.workers[passport["worker"]] if passport is not None else None
    plan.incomplete = _left_incomplete(row, passport, worker, employer)
    return plan


def _left_incomplete(
    row: ImportRow,
    passport: dict[str, Any] | None,
    worker: dict[str, Any] | None,
    employer: dict[str, Any] | None,
) -> tuple[str, ...]:
    """The sheet columns whose value the registry still lacks once the row is applied (the
    gaps of rules.completeness, named by the sheet's columns)."""
    left: list[str] = []
    for name, column in (
        ("issued_on", "passport_issued_on"),
        ("expires_on", "passport_expires_on"),
    ):
        if getattr(row, column) is None and (passport is None or passport[name] is None):
            left.append(column)
    for name in ("place_of_birth", "address"):
        if getattr(row, name) is None and (worker is None or not worker[name]):
            left.append(name)
    if employer is not None and missing_fields("employer", employer):
        left.append("employer_name")
    return tuple(left)


def _check_repeats(row: ImportRow, lookups: Lookups) -> None:
    earlier = lookups.seen_passports.get((row.passport_number, row.passport_issuing_country))
    if earlier is not None:
        raise _reject(
            "passport_number",
            f"paspor yang sama sudah ada di baris {earlier}; gabungkan kedua baris",
            f"the same passport is on line {earlier} already; merge the two lines",
        )
    passport = lookups.passports.get((row.passport_number, row.passport_issuing_country))
    if passport is not None and passport["worker"] in lookups.seen_workers:
        earlier = lookups.seen_workers[passport["worker"]]
        raise _reject(
            "passport_number",
            f"TKA yang sama (paspor lain) sudah ada di baris {earlier}; impor baris ini terpisah",
            f"the same worker (another passport) is on line {earlier}; import this line apart",
        )
    if row.permit_number and row.permit_number in lookups.seen_permits:
        earlier = lookups.seen_permits[row.permit_number]
        raise _reject(
            "permit_number",
            f"nomor izin tinggal yang sama sudah ada di baris {earlier}",
            f"the same permit number is on line {earlier} already",
        )


def _check_not_future(row: ImportRow, today: date) -> None:
    problems: list[tuple[str | None, Reason]] = []
    for name, indonesian, english in (
        ("date_of_birth", "tanggal lahir", "date of birth"),
        ("passport_issued_on", "tanggal terbit paspor", "passport issue date"),
    ):
        day = getattr(row, name)
        if day is not None and day > today:
            problems.append(
                (
                    name,
                    Reason(
                        f"{indonesian} {day.isoformat()} ada di masa depan",
                        f"{english} {day.isoformat()} is in the future",
                    ),
                )
            )
    for name in ("place_of_birth", "position"):
        text = getattr(row, name)
        limit = getattr(Worker, name).length
        if text is not None and len(text) > limit:
            problems.append(
                (
                    name,
                    Reason(
                        f"terlalu panjang ({len(text)} karakter, paling banyak {limit})",
                        f"too long ({len(text)} characters, at most {limit})",
                    ),
                )
            )
    if problems:
        raise _Rejected(problems)


def _employer(row: ImportRow, registry: Registry) -> tuple[bool, dict[str, Any] | None]:
    """(whether the row names an employer, the employer). An employer named and not on record
    is created incomplete (its name, and its NPWP when given), once per name: the office's
    sheets do not carry the NIB, address or sector, which an officer completes later."""
    if row.employer_npwp:
        employer = registry.employers_by_npwp.get(row.employer_npwp)
        if employer is not None:
            return True, employer
        if not row.employer_name:
            raise _reject(
                "employer_npwp",
                f"NPWP {row.employer_npwp} belum terdaftar; isi juga nama perusahaan agar "
                "perusahaan dapat dicatat",
                f"NPWP {row.employer_npwp} is not on record; fill in the employer's name too so "
                "the employer can be recorded",
            )
    if not row.employer_name:
        return False, None
    matches = registry.employers_by_name.get(employer_key(row.employer_name), [])
    if len(matches) > 1:
        raise _reject(
            "employer_name",
            f'nama "{row.employer_name}" cocok dengan {len(matches)} perusahaan; isi kolom '
            "NPWP Perusahaan",
            f'the name "{row.employer_name}" matches {len(matches)} employers; fill in the '
            "Employer NPWP column",
        )
    if matches:
        employer = matches[0]
        if row.employer_npwp and employer["npwp"] and employer["npwp"] != row.employer_npwp:
            raise _reject(
                "employer_npwp",
                f'perusahaan "{employer["name"]}" tercatat dengan NPWP {employer["npwp"]}, '
                f"bukan {row.employer_npwp}",
                f'employer "{employer["name"]}" is on record with NPWP {employer["npwp"]}, '
                f"not {row.employer_npwp}",
            )
        return True, employer
    return True, registry.new_employer(row.employer_name, row.employer_npwp)


def _worker_values(
    row: ImportRow, employer_given: bool, employer: dict[str, Any] | None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "full_name": row.full_name,
        "name_folded": fold(row.full_name),
        "sex": row.sex,
        "date_of_birth": row.date_of_birth,
        "nationality": row.nationality,
    }
    for name in OPTIONAL_WORKER_FIELDS:
        if getattr(row, name) is not None:
            values[name] = getattr(row, name)
    if employer_given and employer is not None:
        # An employer not yet inserted stands as its record; the write puts its id in.
        values["employer"] = employer if employer["id"] is None else employer["id"]
    return values


def _new_worker(row: ImportRow, values: dict[str, Any]) -> RowPlan:
    # An empty optional cell is stored empty: unknown, not invented.
    complete = {name: "" for name in OPTIONAL_WORKER_FIELDS} | {"employer": None} | values
    passport = {
        "number": row.passport_number,
        "issuing_country": row.passport_issuing_country,
        "issued_on": row.passport_issued_on,
        "expires_on": row.passport_expires_on,
    }
    return RowPlan(row.line, None, complete, {}, None, passport, {})


def _known_worker(
    row: ImportRow, values: dict[str, Any], worker: dict[str, Any], passport: dict[str, Any]
) -> RowPlan:
    changes = {name: value for name, value in values.items() if worker[name] != value}
    # An empty cell keeps what is on record; a date is never emptied by an import.
    passport_changes = {
        name: value
        for name, value in (
            ("expires_on", row.passport_expires_on),
            ("issued_on", row.passport_issued_on),
        )
        if value is not None
    }
    passport_changes = {k: v for k, v in passport_changes.items() if passport[k] != v}
    return RowPlan(
        row.line,
        worker["id"],
        changes,
        {name: worker[name] for name in changes},
        passport["id"],
        passport_changes,
        {name: passport[name] for name in passport_changes},
    )


async def _plan_permit(
    plan: RowPlan,
    row: ImportRow,
    employer_id: Any,
    passport_expires_on: date | None,
    lookups: Lookups,
    registry: Registry,
    settings: Settings,
    load_chain: ChainLoader,
) -> None:
    assert row.permit_number and row.permit_kind and row.permit_expires_on
    known = lookups.permits.get(row.permit_number)
    if known is not None:
        _check_known_permit(row, known, plan.worker_id)
        return
    index = _visa_index(row, registry)
    head = lookups.heads.get(plan.worker_id) if plan.worker_id is not None else None
    issued_on = _new_permit_issue_date(row, head)
    data = PermitIn(
        worker_id=plan.worker_id or 0,
        kind=permit_rules.PermitKind(row.permit_kind),
        visa_index=index["code"],
        number=row.permit_number,
        issued_on=issued_on,
        expires_on=row.permit_expires_on,
        supersedes_id=head["id"] if head else None,
    )
    # The same rules as a permit issued at the counter (permits.service).
    chain = await load_chain(head["id"] if head else None)
    breaches = length_breaches(data, index, chain, settings)
    # No passport expiry on record: the cover is "to check" (worklist), not a breach.
    breaches += permit_rules.passport_cover_breaches(passport_expires_on, data.expires_on)
    if not index["requires_sponsor"]:
        employer_id = None
    elif employer_id is None:
        breaches.append(
            permit_rules.RuleBreach(
                "employer_id", f"index {index['code']} needs a sponsoring employer"
            )
        )
    if breaches:
        raise _Rejected(
            [
                (
                    PERMIT_FIELD_COLUMNS.get(breach.field, "permit_expires_on"),
                    Reason(f"aturan izin tinggal: {breach.reason}", breach.reason),
                )
                for breach in breaches
            ]
        )
    plan.permit_values = {
        "kind": data.kind.value,
        "visa_index": index["code"],
        "number": data.number,
        "issued_on": data.issued_on,
        "valid_from": data.first_day,
        "expires_on": data.expires_on,
        "employer": employer_id,
        "supersedes": head["id"] if head else None,
        "register_number": None,
    }
    plan.supersedes = head


def _check_known_permit(row: ImportRow, known: dict[str, Any], worker_id: int | None) -> None:
    if known["worker"] != worker_id:
        raise _reject(
            "permit_number",
            f"izin tinggal {row.permit_number} tercatat atas TKA lain",
            f"permit {row.permit_number} is on record for another worker",
        )
    sheet = {
        "kind": row.permit_kind,
        "visa_index": row.visa_index,
        "issued_on": row.permit_issued_on,
        "expires_on": row.permit_expires_on,
    }
    differs = [name for name, value in sheet.items() if value is not None and known[name] != value]
    if differs:
        recorded = ", ".join(f"{name} {known[name]}" for name in differs)
        raise _reject(
            PERMIT_FIELD_COLUMNS[differs[0]],
            f"izin tinggal {row.permit_number} tercatat dengan nilai lain ({recorded}); izin "
            "tidak diubah lewat impor: gunakan perpanjangan atau pencabutan",
            f"permit {row.permit_number} is on record with other values ({recorded}); an import "
            "does not change permits: renew or revoke it instead",
        )


def _visa_index(row: ImportRow, registry: Registry) -> dict[str, Any]:
    if row.visa_index is None:
        raise _reject(
            "visa_index",
            "wajib diisi untuk izin tinggal baru",
            "required for a new stay permit",
        )
    index = registry.visa_indexes.get(row.visa_index)
    if index is None or not index["active"]:
        known = ", ".join(code for code, i in registry.visa_indexes.items() if i["active"])
        raise _reject(
            "visa_index",
            f'indeks visa "{row.visa_index}" tidak dikenal: salah satu dari {known}',
            f'unknown visa index "{row.visa_index}": one of {known}',
        )
    if row.permit_kind not in index["kinds"].split(","):
        kinds = index["kinds"].replace(",", " / ")
        raise _reject(
            "permit_kind",
            f"indeks {index['code']} untuk {kinds}, bukan {row.permit_kind}",
            f"index {index['code']} carries {kinds}, not {row.permit_kind}",
        )
    return index


def _new_permit_issue_date(row: ImportRow, head: dict[str, Any] | None) -> date:
    if row.permit_issued_on is None:
        raise _reject(
            "permit_issued_on",
            "wajib diisi untuk izin tinggal yang belum terdaftar (tanggal tidak pernah ditebak)",
            "required for a permit not yet registered (dates are never guessed)",
        )
    if head is not None and row.permit_issued_on <= head["issued_on"]:
        raise _reject(
            "permit_issued_on",
            f"izin ini lebih lama daripada izin yang tercatat {head['number']} (terbit "
            f"{head['issued_on'].isoformat()}); impor hanya menambah izin yang lebih baru",
            f"this permit is older than permit {head['number']} on record (issued "
            f"{head['issued_on'].isoformat()}); an import only adds newer permits",
        )
    return row.permit_issued_on
