"""The checks the rules make on a case, each with a message in Indonesian and English.

:func:`case_checks` is pure: it reads :class:`CaseFacts`, which :func:`gather_facts` collects
from the database. Checks are derived whenever a case is shown, so they always reflect the
registry as it is now; decisions record the checks they were made against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tka_registry.applications import checklist
from tka_registry.applications.schemas import (
    ApplicationDetails,
    ApplicationKind,
    ChangeKind,
    CheckOut,
)
from tka_registry.permits.service import worker_chain
from tka_registry.rules import permits as rules
from tka_registry.rules.calendar import add_years
from tka_registry.rules.nationality import fold
from tka_registry.rules.positions import is_position_closed
from tka_registry.settings import Settings
from tka_registry.workers.tables import UNDATED_LAST, Passport, Worker

PERMIT_APPLICATIONS = (ApplicationKind.ITAS_NEW, ApplicationKind.ITAS_EXTENSION)


@dataclass(frozen=True)
class CaseFacts:
    """What the checks read: the case and the worker's record as the registry holds it."""

    kind: ApplicationKind
    details: ApplicationDetails
    applied_on: date  # the Jakarta day of submission (today for a draft)
    passport_expires_on: date | None = None
    current_permit_expires_on: date | None = None
    itas_chain: list[rules.PermitSpan] = field(default_factory=list)  # oldest first
    position: str | None = None
    other_passport_records: int = 0
    attached: frozenset[str] = frozenset()  # the kinds of document the case carries


def _check(check_id: str, met: bool | None, texts: tuple[str, str]) -> CheckOut:
    return CheckOut(id=check_id, met=met, message_id=texts[0], message_en=texts[1])


def _passport_cover(facts: CaseFacts) -> CheckOut | None:
    until = facts.details.requested_until
    if facts.kind not in PERMIT_APPLICATIONS or until is None:
        return None
    cover = rules.passport_cover(facts.passport_expires_on, until)
    expiry = facts.passport_expires_on.isoformat() if facts.passport_expires_on else ""
    texts = {
        "met": (
            f"Paspor berlaku sampai {expiry}, mencakup izin yang diminta sampai {until}.",
            f"Passport valid until {expiry}, covering the permit requested until {until}.",
        ),
        "breached": (
            f"Paspor habis berlaku {expiry}, sebelum akhir izin yang diminta {until}.",
            f"Passport expires on {expiry}, before the requested permit ends on {until}.",
        ),
        "to_check": (
            "Perlu diperiksa: tanggal habis berlaku paspor belum tercatat; pastikan paspor "
            f"berlaku sampai {until} dan lengkapi datanya.",
            "To check: the passport's expiry date is not on record; make sure the passport is "
            f"valid until {until} and complete the record.",
        ),
    }[cover]
    return _check("passport_cover", None if cover == "to_check" else cover == "met", texts)


def permit_dates_problems(start: date, until: date, today: date) -> list[tuple[str, str, str]]:
    """(field, Indonesian, English) for each permit-date rule the requested dates break: the
    check shown on a case and the validation on submit both read this, so they agree."""
    problems = []
    if rules.dates_breaches(start, until):
        problems.append(
            (
                "requested_until",
                f"Izin harus berakhir sesudah mulai berlaku: {until} tidak sesudah {start}.",
                f"The permit must end after it begins: {until} is not after {start}.",
            )
        )
    if rules.start_ahead_breaches(start, today):
        limit = add_years(today, 1)
        problems.append(
            (
                "requested_from",
                f"Tanggal mulai berlaku {start} lebih dari satu tahun ke depan: "
                f"paling lambat {limit}.",
                f"The first valid day {start} is more than a year ahead: at the latest {limit}.",
            )
        )
    return problems


def _permit_dates(facts: CaseFacts) -> CheckOut | None:
    start, until = facts.details.requested_from, facts.details.requested_until
    if facts.kind not in PERMIT_APPLICATIONS or start is None or until is None:
        return None
    problems = permit_dates_problems(start, until, facts.applied_on)
    if not problems:
        texts = (
            f"Izin diminta berlaku {start} s.d. {until}.",
            f"Permit requested from {start} to {until}.",
        )
        return _check("permit_dates", True, texts)
    texts = (" ".join(p[1] for p in problems), " ".join(p[2] for p in problems))
    return _check("permit_dates", False, texts)


def _extension_window(facts: CaseFacts, settings: Settings) -> CheckOut | None:
    expires = facts.current_permit_expires_on
    if facts.kind != ApplicationKind.ITAS_EXTENSION or expires is None:
        return None
    window = settings.extension_window_days
    opens = rules.extension_window_opens(expires, window)
    met = rules.in_extension_window(expires, facts.applied_on, window)
    day = facts.applied_on.isoformat()
    return _check(
        "extension_window",
        met,
        (
            f"Diajukan {day}; perpanjangan boleh diajukan {opens} s.d. {expires} "
            f"({window} hari sebelum habis berlaku).",
            f"Filed on {day}; an extension may be filed from {opens} to {expires} "
            f"({window} days before expiry).",
        ),
    )


def _itas_limits(facts: CaseFacts, settings: Settings) -> list[CheckOut]:
    details = facts.details
    start, until = details.requested_from, details.requested_until
    if facts.kind not in PERMIT_APPLICATIONS or start is None or until is None:
        return []
    years = settings.work_itas_total_max_years
    # Called as a non-work index with the work limit so only the total is judged here; the
    # first-grant rule is its own check below.
    total = rules.itas_total_breaches(
        earlier=facts.itas_chain,
        valid_from=start,
        expires_on=until,
        is_work_index=False,
        itas_total_max_years=years,
    )
    first_day = facts.itas_chain[0].valid_from if facts.itas_chain else start
    texts = (
        f"Total ITAS sejak {first_day} sampai {until}: batas {years} tahun untuk E23.",
        f"Total ITAS from {first_day} to {until}: the E23 limit is {years} years.",
    )
    if total:
        texts = (texts[0] + " Melebihi batas.", texts[1] + " Over the limit.")
    checks = [_check("itas_total", not total, texts)]
    if facts.kind == ApplicationKind.ITAS_EXTENSION and facts.itas_chain:
        first = facts.itas_chain[0]
        latest = rules.same_length_from(first.valid_from, first.expires_on, start)
        met = until <= latest
        checks.append(
            _check(
                "extension_length",
                met,
                (
                    f"Perpanjangan sampai {until}; tidak boleh lebih lama dari izin pertama "
                    f"({first.valid_from} s.d. {first.expires_on}): paling lambat {latest}.",
                    f"Extension until {until}; it may not be longer than the first grant "
                    f"({first.valid_from} to {first.expires_on}): at the latest {latest}.",
                ),
            )
        )
    return checks


def _position(facts: CaseFacts) -> CheckOut | None:
    title = facts.position
    if not title:
        return None
    closed_id, closed_en = is_position_closed(title, "id"), is_position_closed(title, "en")
    if closed_id is None:
        texts = (
            f'Jabatan "{title}" tidak termasuk jabatan tertutup bagi TKA.',
            f'Position "{title}" is not closed to foreign workers.',
        )
    else:
        texts = (
            f'Jabatan "{title}" tertutup bagi TKA ({closed_id}, Kepmenaker 349/2019).',
            f'Position "{title}" is closed to foreign workers ({closed_en}, Kepmenaker 349/2019).',
        )
    return _check("position_open", closed_id is None, texts)


def _duplicate(facts: CaseFacts) -> CheckOut:
    count = facts.other_passport_records
    if count == 0:
        texts = (
            "Tidak ada catatan lain dengan nama, tanggal lahir dan kewarganegaraan yang sama "
            "dengan paspor lain.",
            "No other record with the same name, birth date and nationality under another "
            "passport.",
        )
    else:
        texts = (
            f"{count} catatan TKA lain dengan nama, tanggal lahir dan kewarganegaraan yang sama "
            "memakai paspor lain: periksa apakah orang yang sama.",
            f"{count} other worker record(s) with the same name, birth date and nationality "
            "hold another passport: check whether this is the same person.",
        )
    return _check("duplicate_person", count == 0, texts)


def _documents(facts: CaseFacts) -> CheckOut | None:
    required = checklist.required_documents(facts.kind, facts.details.change)
    if not required:
        return None
    missing = checklist.missing_documents(facts.kind, facts.details.change, facts.attached)
    if not missing:
        names = ", ".join(checklist.label(doc, "id") for doc in required)
        names_en = ", ".join(checklist.label(doc, "en") for doc in required)
        texts = (f"Dokumen lengkap: {names}.", f"Documents complete: {names_en}.")
    else:
        names = ", ".join(checklist.label(doc, "id") for doc in missing)
        names_en = ", ".join(checklist.label(doc, "en") for doc in missing)
        texts = (f"Dokumen belum ada: {names}.", f"Documents missing: {names_en}.")
    return _check("documents", not missing, texts)


# Checks that speak of other employers' workers: shown to the office, never to an employer.
OFFICE_ONLY_CHECKS = frozenset({"duplicate_person"})


def case_checks(facts: CaseFacts, settings: Settings) -> list[CheckOut]:
    """Every check that applies to the case's kind, in a fixed order."""
    checks: list[CheckOut | None] = [
        _permit_dates(facts),
        _passport_cover(facts),
        _extension_window(facts, settings),
        *_itas_limits(facts, settings),
        _position(facts),
    ]
    if facts.kind == ApplicationKind.ITAS_NEW:
        checks.append(_duplicate(facts))
    checks.append(_documents(facts))
    return [check for check in checks if check is not None]


async def _other_passport_records(
    full_name: str,
    born: date | None,
    nationality: str | None,
    passport: str | None,
    *,
    worker_id: int | None,
) -> int:
    """Other worker records of this name, birth date and nationality under another passport."""
    if not (full_name and born and nationality):
        return 0
    query = Worker.select(Worker.id).where(
        (Worker.name_folded == fold(full_name))
        & (Worker.date_of_birth == born)
        & (Worker.nationality == nationality)
    )
    if worker_id is not None:
        query = query.where(Worker.id != worker_id)
    ids = [row["id"] for row in await query]
    if not ids or not passport:
        return len(ids)
    same = await Passport.select(Passport.worker).where(
        Passport.worker.is_in(ids) & (Passport.number == passport)
    )
    return len(set(ids) - {row["worker"] for row in same})


async def gather_facts(
    kind: ApplicationKind,
    details: ApplicationDetails,
    applied_on: date,
    *,
    attached: frozenset[str] = frozenset(),
) -> CaseFacts:
    """The case's facts from the registry: the worker's passport, permits and position."""
    worker_id = details.worker_id
    passport_expires_on = details.passport_expires_on
    chain: list[rules.PermitSpan] = []
    head_expires: date | None = None
    position = details.position
    identity = (details.full_name, details.date_of_birth, details.nationality)
    if worker_id is not None:
        worker = await Worker.select().where(Worker.id == worker_id).first()
        if worker and kind == ApplicationKind.ITAS_NEW:
            identity = (worker["full_name"], worker["date_of_birth"], worker["nationality"])
            position = details.position or worker["position"]
        latest = (
            await Passport.select(Passport.expires_on)
            .where(Passport.worker == worker_id)
            .order_by(UNDATED_LAST)
            .order_by(Passport.expires_on, ascending=False)
            .first()
        )
        if latest and kind != ApplicationKind.CHANGE_REPORT:
            passport_expires_on = latest["expires_on"]
        whole, head = await worker_chain(worker_id)
        chain = rules.itas_tail(whole)
        head_expires = head["expires_on"] if head else None
        if worker and kind == ApplicationKind.ITAS_EXTENSION:
            position = worker["position"]
    if kind == ApplicationKind.CHANGE_REPORT and details.change != ChangeKind.POSITION:
        position = None
    if kind == ApplicationKind.DEPARTURE_REPORT:
        position = None
    return CaseFacts(
        kind=kind,
        details=details,
        applied_on=applied_on,
        passport_expires_on=passport_expires_on,
        current_permit_expires_on=head_expires,
        itas_chain=chain,
        position=position,
        other_passport_records=await _other_passport_records(
            *identity, details.passport_number, worker_id=worker_id
        ),
        attached=attached,
    )
