"""The next thing a sponsor must do for one worker, from the worker's standing on a day.

One pure decision, read by the employer's pages (dashboard, worker page) and the office's
worker page; the facts it reads are gathered in :mod:`tka_registry.workers.next_steps`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tka_registry.rules.permits import PermitKind, PermitStatus


class NextAction(StrEnum):
    # Most pressing first: the order :func:`next_action` tries them in.
    REPORT_DEPARTURE = "report_departure"
    LODGE_PROOF = "lodge_second_home_proof"
    RENEW_PASSPORT = "renew_passport"
    FOLLOW_CASE = "follow_case"
    EXTEND = "extend"
    APPLY_NEW = "apply_new"
    NONE = "none"


@dataclass(frozen=True)
class Standing:
    """What the decision reads about one worker on one day.

    ``permit_status`` is permits.state's status of the current permit, or ``none`` without one.
    """

    permit_status: str
    permit_kind: str | None = None
    permit_expires_on: date | None = None
    passport_expires_on: date | None = None  # the longest-running passport on record
    departed: bool = False  # an approved departure report
    open_extension: bool = False  # an extension case not yet decided
    proof_deadline: date | None = None  # Second Home proof still owed, due by this day


_WITHOUT_PERMIT = {PermitStatus.EXPIRED, PermitStatus.REVOKED, "none"}


def next_action(standing: Standing) -> NextAction:
    """The one action due now for the worker, or ``NONE``.

    - Overstay or a revoked permit, and no departure reported: the foreigner must leave and
      the sponsor report it (UU 6/2011 arts. 71, 78; PP 28/2019 fines run daily).
    - Second Home proof owed: bank letter or property certificate within 90 days of issue
      (SE IMI-0740.GR.01.01/2022), else revocation.
    - A passport that does not cover the permit, or (inside the extension window) the
      extension's first day: the passport must be valid on every day of the permit.
    - An ITAS inside the extension window (no earlier than 30 days before expiry, no later than
      the expiry date; imigrasi.go.id extension table): extend now, unless a case is open.
    - No permit at all (never held one): apply for a new ITAS.
    """
    s = standing
    if s.departed:
        return NextAction.NONE
    if s.permit_status in (PermitStatus.EXPIRED, PermitStatus.REVOKED):
        return NextAction.REPORT_DEPARTURE
    if s.proof_deadline is not None:
        return NextAction.LODGE_PROOF
    if s.permit_status == "none":
        return NextAction.APPLY_NEW
    if s.permit_expires_on is not None and _passport_short(s):
        return NextAction.RENEW_PASSPORT
    if s.permit_status == PermitStatus.EXPIRING and s.permit_kind == PermitKind.ITAS:
        return NextAction.FOLLOW_CASE if s.open_extension else NextAction.EXTEND
    return NextAction.NONE


def _passport_short(s: Standing) -> bool:
    if s.passport_expires_on is None or s.permit_expires_on is None:
        return False  # an expiry not on record is "to check", never assumed short
    must_cover = s.permit_expires_on
    if s.permit_status == PermitStatus.EXPIRING and s.permit_kind == PermitKind.ITAS:
        must_cover += timedelta(days=1)  # the extension's first day
    return s.passport_expires_on < must_cover


def may_extend(standing: Standing) -> bool:
    """Whether the extension form offers this worker: an ITAS inside the extension window (so
    no overstayer), not departed, with no extension case already open."""
    s = standing
    return (
        not s.departed
        and not s.open_extension
        and s.permit_status == PermitStatus.EXPIRING
        and s.permit_kind == PermitKind.ITAS
    )


def may_report(standing: Standing) -> bool:
    """Whether a change or departure report can be made: the worker has not left."""
    return not standing.departed


def may_apply_new(standing: Standing) -> bool:
    """Whether a new ITAS can be asked for this worker on record: no permit held (an expired,
    revoked or absent one), as applications.completeness refuses a worker holding one."""
    return standing.permit_status in _WITHOUT_PERMIT
