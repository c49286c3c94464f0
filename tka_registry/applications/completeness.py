"""What a case must hold before it can be submitted, with messages in Indonesian and English.

Drafts may be incomplete; :func:`submit_problems` lists everything missing or inconsistent at
once, so a form can show every problem on one page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tka_registry.applications import checklist
from tka_registry.applications.checklist import AttachmentKind, missing_documents
from tka_registry.applications.checks import permit_dates_problems
from tka_registry.applications.schemas import ApplicationDetails, ApplicationKind, ChangeKind
from tka_registry.errors import FieldProblem, InvalidInput
from tka_registry.permits.service import current_permit
from tka_registry.permits.state import HELD, state_of
from tka_registry.permits.tables import VisaIndex
from tka_registry.rules.regions import official_regency
from tka_registry.settings import Settings

# (Indonesian, English) label of each field, as forms and messages name it.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "worker_id": ("TKA", "worker"),
    "surname": ("Nama keluarga", "Surname"),
    "given_names": ("Nama depan", "Given names"),
    "sex": ("Jenis kelamin", "Sex"),
    "date_of_birth": ("Tanggal lahir", "Date of birth"),
    "place_of_birth": ("Tempat lahir", "Place of birth"),
    "nationality": ("Kewarganegaraan", "Nationality"),
    "passport_number": ("Nomor paspor", "Passport number"),
    "passport_issued_on": ("Tanggal terbit paspor", "Passport issue date"),
    "passport_expires_on": ("Tanggal habis berlaku paspor", "Passport expiry date"),
    "address": ("Alamat", "Address"),
    "regency": ("Kabupaten/kota", "Regency or city"),
    "position": ("Jabatan", "Position"),
    "visa_index": ("Indeks visa", "Visa index"),
    "requested_from": ("Berlaku mulai", "Valid from"),
    "requested_until": ("Berlaku sampai", "Valid until"),
    "change": ("Jenis perubahan", "Kind of change"),
    "civil_status": ("Status sipil", "Civil status"),
    "departed_on": ("Tanggal keberangkatan", "Departure date"),
    "note": ("Catatan", "Note"),
}

PERSON_FIELDS = (
    "surname",
    "sex",
    "date_of_birth",
    "place_of_birth",
    "nationality",
    "passport_number",
    "passport_issued_on",
    "passport_expires_on",
    "address",
    "regency",
    "position",
)
CHANGE_FIELDS: dict[ChangeKind, tuple[str, ...]] = {
    ChangeKind.ADDRESS: ("address", "regency"),
    ChangeKind.POSITION: ("position",),
    ChangeKind.CIVIL_STATUS: ("civil_status",),
    ChangeKind.PASSPORT: ("passport_number", "passport_issued_on", "passport_expires_on"),
}


@dataclass(frozen=True)
class Problem:
    """A reason a case cannot be submitted, for the field a person must fix."""

    field: str
    message_id: str
    message_en: str


class SubmitRefused(InvalidInput):
    """Submission refused (422); ``bilingual`` carries each problem in both languages."""

    def __init__(self, problems: list[Problem]) -> None:
        fields = [FieldProblem(p.field, p.message_en, p.message_id) for p in problems]
        super().__init__(fields[0].field, fields[0].reason)
        self.problems = fields
        self.bilingual = problems


def label(field: str, language: str = "id") -> str:
    pair = FIELD_LABELS.get(field, (field, field))
    return pair[0] if language == "id" else pair[1]


def _missing(field: str) -> Problem:
    return Problem(field, f"{label(field)} wajib diisi.", f"{label(field, 'en')} is required.")


def _documents_missing(missing: list[AttachmentKind]) -> Problem:
    """The documents of the case's checklist not attached (applications.checklist)."""
    names = {
        lang: ", ".join(checklist.label(doc, lang) for doc in missing) for lang in ("id", "en")
    }
    return Problem(
        "attachments",
        f"Lampirkan dokumen wajib yang belum ada: {names['id']}.",
        f"Attach the required documents still missing: {names['en']}.",
    )


def _required(kind: ApplicationKind, details: ApplicationDetails) -> tuple[str, ...]:
    if kind == ApplicationKind.ITAS_NEW:
        person = () if details.worker_id is not None else PERSON_FIELDS
        return (*person, "visa_index", "requested_from", "requested_until")
    if kind == ApplicationKind.ITAS_EXTENSION:
        return ("worker_id", "requested_until")
    if kind == ApplicationKind.CHANGE_REPORT:
        changed = CHANGE_FIELDS[details.change] if details.change else ()
        return ("worker_id", "change", *changed)
    return ("worker_id", "departed_on")


def _date_problems(details: ApplicationDetails, today: date) -> list[Problem]:
    problems = []
    born, issued, expires = (
        details.date_of_birth,
        details.passport_issued_on,
        details.passport_expires_on,
    )
    if born and born >= today:
        problems.append(
            Problem(
                "date_of_birth",
                "Tanggal lahir harus sebelum hari ini.",
                "Date of birth must be before today.",
            )
        )
    if issued and issued > today:
        problems.append(
            Problem(
                "passport_issued_on",
                "Tanggal terbit paspor tidak boleh di masa depan.",
                "Passport issue date cannot be in the future.",
            )
        )
    if issued and expires and expires <= issued:
        problems.append(
            Problem(
                "passport_expires_on",
                "Paspor harus habis berlaku sesudah tanggal terbitnya.",
                "The passport must expire after it is issued.",
            )
        )
    start, until = details.requested_from, details.requested_until
    if start and until:
        # The same rules as the case's "permit_dates" check (applications.checks).
        problems += [Problem(*problem) for problem in permit_dates_problems(start, until, today)]
    if details.departed_on and details.departed_on > today:
        problems.append(
            Problem(
                "departed_on",
                "Tanggal keberangkatan tidak boleh di masa depan: laporkan sesudah berangkat.",
                "The departure date cannot be in the future: report after the departure.",
            )
        )
    return problems


async def _visa_index_problem(code: str | None) -> Problem | None:
    if code is None:
        return None
    row = await VisaIndex.select().where(VisaIndex.code == code.upper()).first()
    if row and row["active"] and row["category"] == "work" and "ITAS" in row["kinds"].split(","):
        return None
    known = await VisaIndex.select(VisaIndex.code).where(
        VisaIndex.active.eq(True) & (VisaIndex.category == "work")
    )
    codes = ", ".join(r["code"] for r in known)
    return Problem(
        "visa_index",
        f'Indeks visa "{code}" bukan indeks kerja E23 yang berlaku; pilih salah satu: {codes}.',
        f'Visa index "{code}" is not an active E23 work index; one of: {codes}.',
    )


def _permit_problem(
    kind: ApplicationKind, head: dict[str, Any] | None, today: date, settings: Settings
) -> Problem | None:
    # In force, or granted and about to begin (permits.state).
    status = state_of(head, today=today, settings=settings).status if head else None
    valid = status in HELD
    if kind == ApplicationKind.ITAS_EXTENSION and not (valid and head and head["kind"] == "ITAS"):
        return Problem(
            "worker_id",
            "TKA ini tidak memegang ITAS yang masih berlaku untuk diperpanjang.",
            "This worker holds no valid ITAS to extend.",
        )
    if kind == ApplicationKind.ITAS_NEW and valid and head:
        return Problem(
            "worker_id",
            f"TKA ini memegang izin {head['number']} yang berlaku sampai {head['expires_on']}: "
            "ajukan perpanjangan.",
            f"This worker holds permit {head['number']} valid until {head['expires_on']}: "
            "apply for an extension.",
        )
    return None


async def submit_problems(
    kind: ApplicationKind,
    details: ApplicationDetails,
    *,
    attachment_kinds: set[str],
    today: date,
    settings: Settings,
) -> list[Problem]:
    """Everything that stops the case being submitted; empty when it is complete."""
    values = {f: getattr(details, f) for f in ApplicationDetails.model_fields}
    problems = [_missing(f) for f in _required(kind, details) if values.get(f) in (None, "")]
    problems += _date_problems(details, today)
    if details.regency and official_regency(details.regency, settings.regencies) is None:
        problems.append(
            Problem(
                "regency",
                f'"{details.regency}" di luar wilayah kerja kantor.',
                f'"{details.regency}" is outside the office\'s working area.',
            )
        )
    if kind == ApplicationKind.ITAS_NEW:
        index_problem = await _visa_index_problem(details.visa_index)
        problems += [index_problem] if index_problem else []
    if details.worker_id is not None and kind in (
        ApplicationKind.ITAS_NEW,
        ApplicationKind.ITAS_EXTENSION,
    ):
        head = await current_permit(details.worker_id)
        permit_problem = _permit_problem(kind, head, today, settings)
        problems += [permit_problem] if permit_problem else []
    missing = missing_documents(kind, details.change, attachment_kinds)
    problems += [_documents_missing(missing)] if missing else []
    return problems
