"""The demo's showcase: one of everything a visitor should find, made through the services.

Applications of every kind in every state (penjamin1's employer files them, the demo officer
decides them), Second Home cases (one pending, one approved with dependants and its proof,
one approved with its 90-day proof overdue), a revoked permit, a renewed one (the approved
extension supersedes its permit and starts when the old one ends: the one permit deliberately
"starting soon"), and the demo day's reminders in the alert ledger, pending. Going through the
services keeps the derived state, the audit trail, the current-permit copy and the documents
right. Each piece is keyed by a passport number of its own: a second run adds nothing.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from PIL import Image

from tka_registry.accounts.roles import Actor, Role
from tka_registry.accounts.tables import Account
from tka_registry.alerts import ledger
from tka_registry.alerts.scan import due_reminders
from tka_registry.applications.attachments import add_attachment
from tka_registry.applications.checklist import AttachmentKind, required_documents
from tka_registry.applications.decisions import decide
from tka_registry.applications.schemas import ApplicationIn, ApplicationKind, DecisionIn
from tka_registry.applications.service import create_application, submit_application
from tka_registry.applications.tables import Application
from tka_registry.demo.people import BIRTH_PLACES, EMPLOYERS, NAMES, STREETS
from tka_registry.permits.schemas import PermitIn, PermitRevocation
from tka_registry.permits.service import issue_permit, revoke_permit
from tka_registry.permits.tables import Permit
from tka_registry.rules.calendar import add_years
from tka_registry.rules.permits import PermitKind
from tka_registry.second_home import commitment
from tka_registry.second_home.decision import decide_case
from tka_registry.second_home.schemas import CaseIn, ProofKind
from tka_registry.second_home.schemas import DecisionIn as CaseDecision
from tka_registry.second_home.service import create_case
from tka_registry.settings import Settings
from tka_registry.workers.schemas import WorkerIn
from tka_registry.workers.service import create_worker
from tka_registry.workers.tables import Passport

STATES = ("draft", "submitted", "returned", "approved", "rejected")
KIND_LETTERS = {
    ApplicationKind.ITAS_NEW: "N",
    ApplicationKind.ITAS_EXTENSION: "E",
    ApplicationKind.CHANGE_REPORT: "C",
    ApplicationKind.DEPARTURE_REPORT: "D",
}
RETURN_MESSAGE = "Lampirkan bukti bayar DKPTKA bulan berjalan, lalu ajukan kembali."
REJECT_MESSAGE = "Jabatan ini tidak tercantum dalam RPTKA penjamin yang disahkan."


@dataclass
class ShowcaseSummary:
    applications: int = 0
    second_home_cases: int = 0
    revoked_permits: int = 0
    reminders: int = 0


@dataclass
class Cast:
    """Who acts in the showcase, and on which day."""

    sponsor: Actor
    officer: Actor
    employer_id: int
    visa_index: str
    position: str
    settings: Settings
    today: date
    now: datetime
    seed: int
    rng: random.Random


def specimen_photo() -> bytes:
    """A small grey PNG standing in for the holder's photo."""
    out = io.BytesIO()
    Image.new("RGB", (120, 160), (200, 200, 200)).save(out, format="PNG")
    return out.getvalue()


def specimen_pdf(title: str) -> bytes:
    """A one-page PDF saying it is a demo specimen (ISO 32000-1 layout, no library needed)."""
    text = f"BT /F1 18 Tf 72 760 Td (Dokumen contoh / demo specimen: {title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def _person(cast: Cast, nationality: str, passport_number: str) -> dict[str, Any]:
    """A person with a passport issued half a year ago (valid ten years)."""
    given, family = NAMES[nationality]
    issued = cast.today - timedelta(days=cast.rng.randrange(120, 400))
    return {
        "given_names": cast.rng.choice(given),
        "surname": cast.rng.choice(family),
        "sex": cast.rng.choice(("M", "M", "F")),
        "date_of_birth": date(cast.rng.randrange(1968, 1996), cast.rng.randrange(1, 13), 14),
        "place_of_birth": cast.rng.choice(BIRTH_PLACES[nationality]),
        "nationality": nationality,
        "passport_number": passport_number,
        "passport_issued_on": issued,
        "passport_expires_on": add_years(issued, 10) - timedelta(days=1),
        "address": f"{cast.rng.choice(STREETS)} No. {cast.rng.randrange(1, 90)}, Palembang",
        "regency": "Kota Palembang",
    }


async def _worker_with_permit(cast: Cast, number: str, permit_number: str) -> int:
    """A worker of the sponsor with a one-year ITAS that ends in 24 days (extension window)."""
    person = _person(cast, cast.rng.choice(("CHN", "CHN", "JPN", "KOR", "IND")), number)
    worker = await create_worker(
        cast.officer,
        WorkerIn.model_validate(
            {
                "full_name": f"{person['given_names']} {person['surname']}",
                "passport": {
                    "number": number,
                    "issuing_country": person["nationality"],
                    "issued_on": person["passport_issued_on"],
                    "expires_on": person["passport_expires_on"],
                },
                "position": cast.position,
                "employer_id": cast.employer_id,
                **{k: person[k] for k in ("sex", "date_of_birth", "place_of_birth")},
                **{k: person[k] for k in ("nationality", "address", "regency")},
            }
        ),
        settings=cast.settings,
        today=cast.today,
        now=cast.now,
    )
    expires = cast.today + timedelta(days=24)
    issued = add_years(expires, -1) + timedelta(days=1)
    await issue_permit(
        cast.officer,
        PermitIn(
            worker_id=worker.id,
            kind=PermitKind.ITAS,
            visa_index=cast.visa_index,
            number=permit_number,
            issued_on=issued,
            expires_on=expires,
            employer_id=cast.employer_id,
            # Documents print the register number of the application behind a permit.
            register_number=f"W9-PLB-{issued.year}-{number}",
        ),
        today=cast.today,
        settings=cast.settings,
        now=cast.now,
    )
    return worker.id


async def _passport_known(number: str) -> bool:
    return bool(await Passport.exists().where(Passport.number == number))


def _fields(cast: Cast, kind: ApplicationKind, key: str, worker_id: int | None) -> dict[str, Any]:
    if kind == ApplicationKind.ITAS_NEW:
        person = _person(cast, cast.rng.choice(("CHN", "CHN", "MYS", "PHL", "GBR")), key)
        start = cast.today - timedelta(days=7)  # approved last week: the permit runs already
        return person | {
            "position": cast.position,
            "visa_index": cast.visa_index,
            "requested_from": start,
            "requested_until": add_years(start, 1) - timedelta(days=1),
        }
    if kind == ApplicationKind.ITAS_EXTENSION:
        until = add_years(cast.today + timedelta(days=24), 1)
        return {"worker_id": worker_id, "requested_until": until}
    if kind == ApplicationKind.CHANGE_REPORT:
        address = f"{cast.rng.choice(STREETS)} No. {cast.rng.randrange(1, 90)}, Palembang"
        return {
            "worker_id": worker_id,
            "change": "address",
            "address": address,
            "regency": "Kota Palembang",
        }
    return {"worker_id": worker_id, "departed_on": cast.today - timedelta(days=2)}


async def _application(cast: Cast, kind: ApplicationKind, state_index: int) -> bool:
    """One case of ``kind`` brought to ``STATES[state_index]``; False when it exists already."""
    key = f"SC{cast.seed % 100:02d}{KIND_LETTERS[kind]}{state_index}"
    cast.rng = random.Random(f"{cast.seed}-{key}")  # the same person whatever ran before
    if kind == ApplicationKind.ITAS_NEW:
        if await Application.exists().where(Application.passport_number == key):
            return False
        worker_id = None
    else:
        if await _passport_known(key):
            return False
        permit_number = f"2D{cast.seed % 10}{KIND_LETTERS[kind]}{state_index}0001"
        worker_id = await _worker_with_permit(cast, key, permit_number)
    data = ApplicationIn.model_validate({"kind": kind, **_fields(cast, kind, key, worker_id)})
    options: dict[str, Any] = {"settings": cast.settings, "today": cast.today, "now": cast.now}
    case = await create_application(cast.sponsor, data, **options)
    # The kind's checklist (applications.checklist), and the passport page for every case.
    uploads = {AttachmentKind.PASSPORT_PAGE, *required_documents(kind, data.change)}
    for upload in sorted(uploads):
        content = (
            specimen_photo()
            if upload == AttachmentKind.PHOTO
            else specimen_pdf(f"{upload.value} {key}")
        )
        await add_attachment(
            cast.sponsor,
            case.id,
            upload,
            content,
            settings=cast.settings,
            now=cast.now,
            file_name=f"{upload.value}-{key}.{'png' if upload == AttachmentKind.PHOTO else 'pdf'}",
        )
    state = STATES[state_index]
    if state == "draft":
        return True
    await submit_application(cast.sponsor, case.id, **options)
    decision = {
        "returned": DecisionIn(decision="return", message=RETURN_MESSAGE),
        "approved": DecisionIn(decision="approve"),
        "rejected": DecisionIn(decision="reject", message=REJECT_MESSAGE),
    }.get(state)
    if decision is not None:
        await decide(cast.officer, case.id, decision, **options)
    return True


async def _revoked_permit(cast: Cast) -> bool:
    key = f"SC{cast.seed % 100:02d}R0"
    if await _passport_known(key):
        return False
    cast.rng = random.Random(f"{cast.seed}-{key}")
    await _worker_with_permit(cast, key, f"2D{cast.seed % 10}R00001")
    worker = await Passport.select(Passport.worker).where(Passport.number == key).first()
    assert worker is not None
    permit = await Permit.select(Permit.id).where(Permit.worker == worker["worker"]).first()
    assert permit is not None
    revocation = PermitRevocation(
        revoked_on=cast.today - timedelta(days=5),
        revocation_reason="Izin tinggal dicabut: penjamin mencabut jaminan (contoh demo)",
    )
    await revoke_permit(
        cast.officer, permit["id"], revocation, today=cast.today, settings=cast.settings
    )
    return True


def _case_person(cast: Cast, nationality: str, number: str, **extra: Any) -> dict[str, Any]:
    person = _person(cast, nationality, number)
    return {
        "full_name": f"{person['given_names']} {person['surname']}",
        "passport": {
            "number": number,
            "issuing_country": nationality,
            "issued_on": person["passport_issued_on"],
            "expires_on": person["passport_expires_on"],
        },
        **{k: person[k] for k in ("sex", "date_of_birth", "place_of_birth", "nationality")},
        **{k: person[k] for k in ("address", "regency")},
        **extra,
    }


async def _second_home(cast: Cast, index: int) -> bool:
    """0: submitted, not decided; 1: approved with dependants, proof lodged; 2: approved four
    months ago with no proof (overdue past the 90-day deadline)."""
    key = f"SH{cast.seed % 100:02d}P{index}"
    if await _passport_known(key):
        return False
    cast.rng = random.Random(f"{cast.seed}-{key}")
    applied = cast.today - timedelta(days=(5, 40, 130)[index])
    nationality = ("AUS", "GBR", "JPN")[index]
    dependants = []
    if index == 1:
        dependants = [
            _case_person(cast, nationality, f"SH{cast.seed % 100:02d}D1", relation="istri"),
            _case_person(cast, nationality, f"SH{cast.seed % 100:02d}D2", relation="anak"),
        ]
    data = CaseIn.model_validate(
        {
            "application_date": applied,
            "stay_years": 5,
            "funds_idr": "Rp 2.500.000.000",
            "bank": "Bank Mandiri",
            "principal": _case_person(cast, nationality, key),
            "dependants": dependants,
            "submit": True,
        }
    )
    options: dict[str, Any] = {"settings": cast.settings, "today": cast.today, "now": cast.now}
    case = await create_case(cast.officer, data, **options)
    if index == 0:
        return True
    decided = applied + timedelta(days=10)
    await decide_case(
        cast.officer, case.id, CaseDecision(approve=True, decided_on=decided), **options
    )
    if index == 1:
        await commitment.lodge_proof(
            cast.officer,
            case.id,
            kind=ProofKind.BANK_LETTER,
            lodged_on=decided + timedelta(days=20),
            content=specimen_pdf(f"surat bank {key}"),
            **options,
        )
    return True


async def _actor(email: str, role: Role, employer_id: int | None) -> Actor:
    row = await Account.select(Account.id).where(Account.email == email).first()
    return Actor(
        account_id=row["id"] if row else None,
        email=email,
        role=role.value,
        employer_id=employer_id,
        address="demo-data",
    )


async def load_showcase(
    *,
    seed: int,
    employer_id: int,
    sponsor_email: str,
    officer_email: str,
    settings: Settings,
    today: date,
    now: datetime,
) -> ShowcaseSummary:
    """Add what is missing of the showcase for ``seed``; the day's reminders into the ledger."""
    _name, _sector, _regency, visa_index, positions = EMPLOYERS[0]
    cast = Cast(
        sponsor=await _actor(sponsor_email, Role.EMPLOYER, employer_id),
        officer=await _actor(officer_email, Role.OFFICER, None),
        employer_id=employer_id,
        visa_index=visa_index,
        position=positions[0],
        settings=settings,
        today=today,
        now=now,
        seed=seed,
        rng=random.Random(seed),
    )
    summary = ShowcaseSummary()
    for kind in ApplicationKind:
        for state_index in range(len(STATES)):
            summary.applications += await _application(cast, kind, state_index)
    for index in range(3):
        summary.second_home_cases += await _second_home(cast, index)
    summary.revoked_permits += await _revoked_permit(cast)
    # What `alerts send` would send today, recorded (pending) as a run would before sending.
    due = await due_reminders(settings, today)
    summary.reminders = len(await ledger.record_due(due, today, now))
    return summary
