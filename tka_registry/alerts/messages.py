"""Alert emails composed from plain data: the employer digest, the Second Home holder's reminder
and the office summary. Bahasa Indonesia first, English below; HTML and plain-text parts.

Nothing here touches the database or the network: the caller gathers the data, these functions
return ``email.message.EmailMessage`` objects and :mod:`tka_registry.alerts.mailer` sends them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from zoneinfo import ZoneInfo

from tka_registry.alerts import wording
from tka_registry.alerts.stages import days_left, is_overstay, is_proof, stage_offset_days
from tka_registry.permits.state import overstay_of
from tka_registry.rules.nationality import UnknownNationality, nationality_name
from tka_registry.settings import Settings

WIB = ZoneInfo("Asia/Jakarta")
# RFC 5321 4.5.3.1: at most 64 octets of local part and 254 of forward path in practice.
MAX_LOCAL_PART = 64
MAX_ADDRESS = 254

NO_ADDRESS = "tidak ada alamat email / no email address"


@dataclass(frozen=True)
class MailContext:
    """What every alert email needs besides its own data; build it with :meth:`from_settings`."""

    mail_from: str
    base_url: str
    extension_window_days: int = 30
    overstay_fine_per_day_idr: int = 1_000_000
    overstay_deportation_days: int = 60
    second_home_min_funds_idr: int = 2_000_000_000
    office_email: str = ""
    # Domain of generated Message-IDs; None means the domain of ``mail_from``.
    msgid_domain: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> MailContext:
        """The context from the registry's settings (TKA_MAIL_FROM, TKA_BASE_URL, thresholds)."""
        return cls(
            mail_from=settings.mail_from,
            base_url=settings.base_url,
            extension_window_days=settings.extension_window_days,
            overstay_fine_per_day_idr=settings.overstay_fine_per_day_idr,
            overstay_deportation_days=settings.overstay_deportation_days,
            second_home_min_funds_idr=settings.second_home_min_funds_idr,
            office_email=settings.office_email,
        )

    @property
    def portal_url(self) -> str:
        return self.base_url.rstrip("/") + "/portal"

    def message_id_domain(self) -> str:
        if self.msgid_domain:
            return self.msgid_domain
        _, _, domain = self.mail_from.rpartition("@")
        return domain.strip(" >") or "tka-registry.invalid"


@dataclass(frozen=True)
class ReminderLine:
    """One worker's permit at a reminder stage. ``nationality`` is the canonical ICAO/ISO code."""

    worker_name: str
    passport_number: str
    nationality: str
    permit_number: str
    expires_on: date
    stage: str
    employer_name: str = ""


@dataclass(frozen=True)
class EmployerDigest:
    """Every reminder due for one employer (sponsor) in one run, sent as a single email."""

    employer_name: str
    recipients: tuple[str, ...]
    today: date
    lines: tuple[ReminderLine, ...]


@dataclass(frozen=True)
class HolderReminder:
    """A Second Home holder's own reminder: a ``proof-N`` stage or a permit-expiry stage."""

    holder_name: str
    email: str
    passport_number: str
    nationality: str
    permit_number: str
    permit_expires_on: date
    stage: str
    today: date
    proof_deadline_on: date | None = None


@dataclass(frozen=True)
class SkippedDigest:
    """A digest that was not sent, with the reason (no address, malformed address, refused)."""

    digest: EmployerDigest
    reason: str


@dataclass(frozen=True)
class OfficeSummary:
    """The office's report of one run. ``overstays`` is every current overstay the caller knows."""

    today: date
    digests: tuple[EmployerDigest, ...]
    holder_reminders: tuple[HolderReminder, ...] = ()
    skipped: tuple[SkippedDigest, ...] = ()
    overstays: tuple[ReminderLine, ...] = ()


def validate_address(addr: str | None) -> str | None:
    """The reason ``addr`` cannot be used as a single bare recipient address, or None if it can."""
    text = (addr or "").strip()
    if not text:
        return NO_ADDRESS
    if not text.isascii():
        return "alamat mengandung huruf non-ASCII / address has non-ASCII characters"
    if len(text) > MAX_ADDRESS:
        return f"alamat lebih dari {MAX_ADDRESS} karakter / address longer than {MAX_ADDRESS}"
    try:
        parsed = Address(addr_spec=text)
    except (ValueError, HeaderParseError, IndexError) as error:
        return f"format alamat tidak sah / malformed address: {error}"
    if not parsed.username or not parsed.domain:
        return "alamat tanpa nama atau domain / address lacks a local part or domain"
    if len(parsed.username) > MAX_LOCAL_PART:
        return f"bagian lokal lebih dari {MAX_LOCAL_PART} karakter / local part too long"
    labels = parsed.domain.split(".")
    if len(labels) < 2 or not all(_is_host_label(label) for label in labels):
        return f"domain tidak sah / invalid domain: {parsed.domain}"
    return None


def _is_host_label(label: str) -> bool:
    # RFC 1035 2.3.1: letters, digits and inner hyphens, 1 to 63 characters.
    return (
        0 < len(label) <= 63
        and label.replace("-", "").isalnum()
        and not label.startswith("-")
        and not label.endswith("-")
    )


def overstay_lines(digests: Iterable[EmployerDigest]) -> tuple[ReminderLine, ...]:
    """The lines of ``digests`` whose permit has already expired, most overstayed first."""
    found = [
        line
        for digest in digests
        for line in digest.lines
        if days_left(line.expires_on, digest.today) < 0
    ]
    return tuple(sorted(found, key=lambda line: line.expires_on))


def _one_line(text: str) -> str:
    """Header-safe text: a name with a line break must not break or inject headers."""
    return " ".join(text.split())


def _new_message(context: MailContext, recipients: Iterable[str], subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = context.mail_from
    message["To"] = ", ".join(recipients)
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(datetime.now(WIB))
    message["Message-ID"] = make_msgid(domain=context.message_id_domain())
    message["Content-Language"] = "id, en"
    # RFC 3834: tells autoresponders not to answer this machine-sent mail.
    message["Auto-Submitted"] = "auto-generated"
    return message


def _attach_parts(message: EmailMessage, template: str, values: dict[str, Any]) -> EmailMessage:
    message.set_content(wording.render(f"{template}.txt", values))
    message.add_alternative(wording.render(f"{template}.html", values), subtype="html")
    return message


def _common(context: MailContext) -> dict[str, Any]:
    return {
        "portal_url": context.portal_url,
        "office_email": context.office_email,
        "window_days": context.extension_window_days,
        "fine_per_day": wording.rupiah(context.overstay_fine_per_day_idr),
        "deportation_days": context.overstay_deportation_days,
        "min_funds": wording.rupiah(context.second_home_min_funds_idr),
    }


def _row(line: ReminderLine, today: date, context: MailContext) -> dict[str, Any]:
    remaining = days_left(line.expires_on, today)
    overstay = overstay_of(
        line.expires_on,
        today,
        fine_per_day_idr=context.overstay_fine_per_day_idr,
        deportation_days=context.overstay_deportation_days,
    )
    fine = wording.rupiah(overstay.fine_idr)
    return {
        "name": line.worker_name,
        "passport": line.passport_number,
        "permit": line.permit_number,
        "employer": line.employer_name,
        "nationality_id": _country(line.nationality, "id"),
        "nationality_en": _country(line.nationality, "en"),
        "expires_id": wording.long_date(line.expires_on, "id"),
        "expires_en": wording.long_date(line.expires_on, "en"),
        "days_id": wording.days_text(remaining, "id"),
        "days_en": wording.days_text(remaining, "en"),
        "overstay": remaining < 0,
        "fine": fine,
    }


def compose_employer_digest(digest: EmployerDigest, context: MailContext) -> EmailMessage:
    """The digest email of one employer: a table of every worker at a stage and what to do."""
    lines = sorted(digest.lines, key=lambda line: (line.expires_on, line.worker_name))
    rows = [_row(line, digest.today, context) for line in lines]
    overstays = sum(1 for row in rows if row["overstay"])
    subject = (
        f"Pengingat izin tinggal {len(rows)} TKA / Stay permit reminder for {len(rows)} "
        f"foreign worker{'s' if len(rows) != 1 else ''} - {digest.employer_name}"
    )
    if overstays:
        subject = f"[OVERSTAY] {subject}"
    values = {
        **_common(context),
        "employer": digest.employer_name,
        "today_id": wording.long_date(digest.today, "id"),
        "today_en": wording.long_date(digest.today, "en"),
        "rows": rows,
        "overstays": overstays,
    }
    message = _new_message(context, digest.recipients, subject)
    return _attach_parts(message, "employer_digest", values)


def compose_holder_reminder(reminder: HolderReminder, context: MailContext) -> EmailMessage:
    """A Second Home holder's own email for a ``proof-N`` or permit-expiry stage."""
    is_proof_stage = is_proof(reminder.stage)
    if is_proof_stage and reminder.proof_deadline_on is None:
        raise ValueError(f"stage {reminder.stage} needs proof_deadline_on")
    deadline = reminder.proof_deadline_on if is_proof_stage else reminder.permit_expires_on
    assert deadline is not None
    remaining = days_left(deadline, reminder.today)
    if is_proof_stage:
        subject = "Batas waktu bukti dana/properti Rumah Kedua / Second Home proof deadline"
    else:
        subject = "Izin tinggal Rumah Kedua akan berakhir / Second Home stay permit expiry"
    values = {
        **_common(context),
        "proof": is_proof_stage,
        "name": reminder.holder_name,
        "passport": reminder.passport_number,
        "permit": reminder.permit_number,
        "deadline_id": wording.long_date(deadline, "id"),
        "deadline_en": wording.long_date(deadline, "en"),
        "expires_id": wording.long_date(reminder.permit_expires_on, "id"),
        "expires_en": wording.long_date(reminder.permit_expires_on, "en"),
        "remaining": remaining,
        "days_id": wording.days_text(remaining, "id", proof=is_proof_stage),
        "days_en": wording.days_text(remaining, "en", proof=is_proof_stage),
    }
    message = _new_message(context, [reminder.email], subject)
    return _attach_parts(message, "holder_reminder", values)


def _country(code: str, language: str) -> str:
    try:
        return nationality_name(code, language)
    except UnknownNationality:
        return code


def _stage_counts(stages: Iterable[str]) -> list[dict[str, Any]]:
    counts = Counter(stages)
    return [
        {
            "stage": stage,
            "label_id": wording.stage_label(stage, "id"),
            "label_en": wording.stage_label(stage, "en"),
            "count": counts[stage],
        }
        for stage in sorted(counts, key=lambda name: (is_proof(name), stage_offset_days(name)))
    ]


def _nationality_counts(codes: Iterable[str]) -> list[dict[str, Any]]:
    counts = Counter(codes)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        {"code": code, "name_id": _country(code, "id"), "name_en": _country(code, "en"), "count": n}
        for code, n in ordered
    ]


def compose_office_summary(summary: OfficeSummary, context: MailContext) -> EmailMessage:
    """The office's email after a run: counts by stage and nationality, overstays, skipped."""
    if validate_address(context.office_email) is not None:
        raise ValueError(f"office email is not usable: {context.office_email!r}")
    all_digests = [*summary.digests, *(skip.digest for skip in summary.skipped)]
    lines = [line for digest in all_digests for line in digest.lines]
    stages = [line.stage for line in lines] + [item.stage for item in summary.holder_reminders]
    codes = [line.nationality for line in lines] + [h.nationality for h in summary.holder_reminders]
    overstays = [_row(line, summary.today, context) for line in summary.overstays]
    skipped = [
        {
            "employer": skip.digest.employer_name,
            "address": ", ".join(skip.digest.recipients),
            "reason": skip.reason,
            "workers": len(skip.digest.lines),
        }
        for skip in summary.skipped
    ]
    values = {
        **_common(context),
        "today_id": wording.long_date(summary.today, "id"),
        "today_en": wording.long_date(summary.today, "en"),
        "total": len(stages),
        "sent_digests": len(summary.digests),
        "holders": len(summary.holder_reminders),
        "by_stage": _stage_counts(stages),
        "by_nationality": _nationality_counts(codes),
        "overstays": overstays,
        "overstays_at_stage": sum(1 for stage in stages if is_overstay(stage)),
        "skipped": skipped,
    }
    subject = (
        f"Ringkasan pengingat izin tinggal {values['today_id']} / "
        f"Stay permit reminder summary {values['today_en']}"
    )
    message = _new_message(context, [context.office_email], subject)
    return _attach_parts(message, "office_summary", values)


__all__ = [
    "NO_ADDRESS",
    "EmployerDigest",
    "HolderReminder",
    "MailContext",
    "OfficeSummary",
    "ReminderLine",
    "SkippedDigest",
    "compose_employer_digest",
    "compose_holder_reminder",
    "compose_office_summary",
    "overstay_lines",
    "validate_address",
]
