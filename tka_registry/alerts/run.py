"""One run of the alert emails: scan, record, claim, send one digest per employer, summarise.

Order matters for "never twice, never lost": the ledger rows exist (pending) before the SMTP
server is contacted; an unreachable server leaves them pending; each digest is sent only with
rows this run claimed; each delivery is marked in its own transaction right after the server
answered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import make_msgid

from tka_registry.accounts.roles import Actor
from tka_registry.alerts import ledger
from tka_registry.alerts.mailer import (
    DeliveryResult,
    Mailbox,
    MailServerUnavailable,
    parse_smtp_url,
)
from tka_registry.alerts.messages import (
    EmployerDigest,
    MailContext,
    OfficeSummary,
    ReminderLine,
    SkippedDigest,
    compose_employer_digest,
    compose_office_summary,
    overstay_lines,
    validate_address,
)
from tka_registry.alerts.scan import DueReminder, due_reminders
from tka_registry.alerts.tables import SKIPPED
from tka_registry.audit.service import record
from tka_registry.settings import Settings

NO_SPONSOR = "izin tanpa penjamin / permit without a sponsor"
# Emails claimed per statement: fewer round trips; after a crash at most this many are retaken.
CLAIM_BATCH = 25
HOLDER_NO_EMAIL = "pemegang Rumah Kedua tanpa alamat email / Second Home holder has no email"


@dataclass
class Group:
    """The reminders that go (or would go) in one email."""

    name: str
    recipients: tuple[str, ...]
    items: list[DueReminder]
    skip_reason: str | None = None


@dataclass
class RunReport:
    """What a run did (or, dry, would do). ``exit_code`` is 1 when any delivery failed."""

    today: date
    dry_run: bool
    due: int = 0
    sent_messages: int = 0
    sent_reminders: int = 0
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)
    abandoned_claims: int = 0
    unavailable: str | None = None
    office_summary: str = "not sent"

    @property
    def exit_code(self) -> int:
        return 1 if self.failures or self.unavailable else 0

    def lines(self) -> list[str]:
        head = "dry run: nothing sent, nothing written" if self.dry_run else "alerts run"
        lines = [f"{head} for {self.today.isoformat()}: {self.due} reminder(s) due"]
        lines += self.planned
        lines += [
            f"sent {self.sent_messages} email(s) covering {self.sent_reminders} reminder(s)",
            f"skipped {len(self.skipped)}, failed {len(self.failures)}",
            f"office summary: {self.office_summary}",
        ]
        if self.abandoned_claims:
            lines.append(f"took over {self.abandoned_claims} reminder(s) of a stopped run")
        lines += [f"  skipped: {text}" for text in self.skipped]
        lines += [f"  FAILED: {text}" for text in self.failures]
        if self.unavailable:
            lines.append(f"  FAILED: {self.unavailable}; every reminder is left pending")
        return lines


def _recipients(text: str) -> tuple[tuple[str, ...], str | None]:
    """The addresses of an employer's email field (comma or semicolon separated) or a reason."""
    addresses = tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())
    for address in addresses or ("",):
        reason = validate_address(address)
        if reason is not None:
            return addresses, reason
    return addresses, None


def group(due: Sequence[DueReminder]) -> list[Group]:
    """One group per employer (its digest), one per Second Home holder, one per sponsorless."""
    by_employer: dict[int, list[DueReminder]] = defaultdict(list)
    groups: list[Group] = []
    for item in due:
        if item.second_home:
            name = f"Rumah Kedua / Second Home: {item.worker_name}"
            groups.append(Group(name, (), [item], HOLDER_NO_EMAIL))
        elif item.employer_id is None:
            groups.append(
                Group(f"{item.worker_name} ({item.permit_number})", (), [item], NO_SPONSOR)
            )
        else:
            by_employer[item.employer_id].append(item)
    for items in by_employer.values():
        recipients, reason = _recipients(items[0].employer_email)
        groups.append(Group(items[0].employer_name, recipients, items, reason))
    return groups


def _line(item: DueReminder) -> ReminderLine:
    return ReminderLine(
        worker_name=item.worker_name,
        passport_number=item.passport_number,
        nationality=item.nationality,
        permit_number=item.permit_number,
        expires_on=item.expires_on,
        stage=item.stage,
        employer_name=item.employer_name,
    )


def _digest(entry: Group, items: Sequence[DueReminder], today: date) -> EmployerDigest:
    return EmployerDigest(entry.name, entry.recipients, today, tuple(_line(i) for i in items))


async def send_alerts(
    settings: Settings, today: date, now: datetime, *, dry_run: bool = False
) -> RunReport:
    """Send every reminder due on ``today`` (Asia/Jakarta); ``dry_run`` only reports."""
    report = RunReport(today=today, dry_run=dry_run)
    due = await due_reminders(settings, today)
    report.due = len(due)
    groups = group(due)
    if dry_run:
        for entry in groups:
            stages = ", ".join(sorted({item.stage for item in entry.items}))
            target = entry.skip_reason or ", ".join(entry.recipients)
            report.planned.append(f"  {entry.name}: {len(entry.items)} ({stages}) -> {target}")
        return report
    ids = await ledger.record_due(due, today, now)
    report.abandoned_claims = await ledger.release_abandoned(list(ids.values()), now)
    context = MailContext.from_settings(settings)
    try:
        mailbox = Mailbox(parse_smtp_url(settings.smtp_url))
        await mailbox.open()
    except (MailServerUnavailable, ValueError) as error:
        report.unavailable = str(error)
        return report
    run = ledger.run_name()
    try:
        await _send_groups(mailbox, groups, ids, run, context, today, now, report)
    finally:
        await mailbox.close()
    await _audit_run(report, now)
    return report


async def _send_groups(
    mailbox: Mailbox,
    groups: list[Group],
    ids: dict[tuple[int, str], int],
    run: str,
    context: MailContext,
    today: date,
    now: datetime,
    report: RunReport,
) -> None:
    sent: list[EmployerDigest] = []
    skipped: list[SkippedDigest] = []
    for entry in (entry for entry in groups if entry.skip_reason is not None):
        await ledger.mark_skipped(_row_ids(entry, ids), entry.skip_reason or "", now)
        # The office hears of a skip once, not again on every later run.
        if any(item.state != SKIPPED for item in entry.items):
            digest = _digest(entry, entry.items, today)
            skipped.append(SkippedDigest(digest, entry.skip_reason or ""))
        report.skipped.append(f"{entry.name}: {entry.skip_reason}")
    sendable = [entry for entry in groups if entry.skip_reason is None]
    try:
        for start in range(0, len(sendable), CLAIM_BATCH):
            chunk = sendable[start : start + CLAIM_BATCH]
            message_ids = [make_msgid(domain=context.message_id_domain()) for _ in chunk]
            batch = [(_row_ids(e, ids), m) for e, m in zip(chunk, message_ids, strict=True)]
            claimed = await ledger.claim(batch, run, now)
            try:
                for entry, message_id in zip(chunk, message_ids, strict=True):
                    items = [item for item in entry.items if ids.get(item.key) in claimed]
                    if not items:
                        continue  # another run holds them, or already sent them
                    digest = _digest(entry, items, today)
                    row_ids = sorted(ids[item.key] for item in items)
                    result = await _send(mailbox, digest, row_ids, run, message_id, context, now)
                    # Marked before the next message goes out, so that a crash leaves at most
                    # one accepted-but-unmarked message (see _mark).
                    if await _mark(result, digest, row_ids, run, message_id, now, report):
                        sent.append(digest)
            finally:
                # Rows of this batch not yet marked (the run is stopping): give them back.
                await ledger.release(sorted(claimed), run, now)
    except MailServerUnavailable as error:
        # The connection was lost and cannot be re-opened: what was not sent stays pending.
        report.unavailable = f"SMTP connection lost: {error}"
        return
    await _office_summary(mailbox, context, today, sent, skipped, report)


def _row_ids(entry: Group, ids: dict[tuple[int, str], int]) -> list[int]:
    return [ids[item.key] for item in entry.items if item.key in ids]


async def _send(
    mailbox: Mailbox,
    digest: EmployerDigest,
    row_ids: list[int],
    run: str,
    message_id: str,
    context: MailContext,
    now: datetime,
) -> DeliveryResult:
    """Compose and send one claimed digest; a lost connection is marked failed and re-raised."""
    message = compose_employer_digest(digest, context)
    message.replace_header("Message-ID", message_id)
    try:
        return await mailbox.send(message)
    except MailServerUnavailable as error:
        audit = {"message_id": message_id, "error": str(error)}
        await ledger.mark_delivery(
            row_ids, run, sent=False, recipients="", error=str(error), audit=audit, now=now
        )
        raise


async def _mark(
    result: DeliveryResult,
    digest: EmployerDigest,
    row_ids: list[int],
    run: str,
    message_id: str,
    now: datetime,
    report: RunReport,
) -> EmployerDigest | None:
    """Record what the server answered for one digest; answers the digest when it was sent.

    The one window left: the process dying after the server accepted the message and before
    this update commits. The rows stay claimed with this Message-ID; the next run takes them
    over (``abandoned_message_id``) and sends them again, so that window can duplicate one
    email, never lose one, and the ledger names the Message-ID to look for in the mail log.
    """
    refused = "; ".join(f"{r.address}: {r.code} {r.reason}" for r in result.refused)
    problem = result.failure or None
    if refused:
        problem = f"{problem}; refused {refused}" if problem else f"refused {refused}"
    await ledger.mark_delivery(
        row_ids,
        run,
        sent=result.delivered,
        recipients=", ".join(result.accepted or digest.recipients),
        error=problem,
        audit={"message_id": message_id, "employer": digest.employer_name, "error": problem},
        now=now,
    )
    if not result.delivered:
        who = f"{digest.employer_name} <{', '.join(digest.recipients)}>"
        report.failures.append(f"{who}: {problem}")
        return None
    report.sent_messages += 1
    report.sent_reminders += len(digest.lines)
    return digest


async def _office_summary(
    mailbox: Mailbox,
    context: MailContext,
    today: date,
    sent: list[EmployerDigest],
    skipped: list[SkippedDigest],
    report: RunReport,
) -> None:
    if not sent and not skipped and not report.failures:
        report.office_summary = "nothing to report"
        return
    if validate_address(context.office_email) is not None:
        report.office_summary = "not sent: TKA_OFFICE_EMAIL is not set or not valid"
        return
    overstays = overstay_lines([*sent, *(skip.digest for skip in skipped)])
    summary = OfficeSummary(today, tuple(sent), (), tuple(skipped), overstays)
    result = await mailbox.send(compose_office_summary(summary, context))
    if result.delivered:
        report.office_summary = f"sent to {context.office_email}"
        report.sent_messages += 1
    else:
        report.office_summary = f"FAILED to {context.office_email}: {result.failure}"
        report.failures.append(f"office summary: {result.failure}")


async def _audit_run(report: RunReport, now: datetime) -> None:
    details = {
        "due": report.due,
        "sent_messages": report.sent_messages,
        "sent_reminders": report.sent_reminders,
        "skipped": len(report.skipped),
        "failed": len(report.failures),
        "unavailable": report.unavailable,
    }
    # record() opens its own write transaction.
    await record(Actor.system("alerts"), "alerts.run", "alert_run", report.today, details, at=now)
