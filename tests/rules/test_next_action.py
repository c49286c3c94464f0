"""The next action due for a worker (rules.next_action), at the edges of each rule."""

from __future__ import annotations

from datetime import date

import pytest

from tka_registry.rules.next_action import (
    NextAction,
    Standing,
    may_apply_new,
    may_extend,
    may_report,
    next_action,
)

EXPIRES = date(2026, 12, 10)


def itas(status: str, **changes: object) -> Standing:
    values: dict[str, object] = {
        "permit_status": status,
        "permit_kind": "ITAS",
        "permit_expires_on": EXPIRES,
        "passport_expires_on": date(2034, 1, 31),
    }
    return Standing(**(values | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("standing", "expected"),
    [
        (itas("active"), NextAction.NONE),
        (itas("not_yet_valid"), NextAction.NONE),
        (itas("expiring"), NextAction.EXTEND),
        (itas("expiring", open_extension=True), NextAction.FOLLOW_CASE),
        (itas("expiring", permit_kind="ITAP"), NextAction.NONE),
        (itas("expired"), NextAction.REPORT_DEPARTURE),
        (itas("revoked"), NextAction.REPORT_DEPARTURE),
        (itas("expired", departed=True), NextAction.NONE),
        (Standing("none"), NextAction.APPLY_NEW),
        (itas("active", proof_deadline=date(2027, 1, 1)), NextAction.LODGE_PROOF),
        # Overstay outranks everything: the fine runs daily.
        (itas("expired", proof_deadline=date(2027, 1, 1)), NextAction.REPORT_DEPARTURE),
    ],
)
def test_next_action(standing: Standing, expected: NextAction) -> None:
    assert next_action(standing) == expected


def test_passport_must_cover_the_permit_and_an_extensions_first_day() -> None:
    # Active: the passport covers the permit's last day exactly.
    assert next_action(itas("active", passport_expires_on=EXPIRES)) == NextAction.NONE
    short = date(2026, 12, 9)
    assert next_action(itas("active", passport_expires_on=short)) == NextAction.RENEW_PASSPORT
    # Inside the window the extension begins the day after: the last day is not enough.
    renew = itas("expiring", passport_expires_on=EXPIRES)
    assert next_action(renew) == NextAction.RENEW_PASSPORT
    day_after = date(2026, 12, 11)
    assert next_action(itas("expiring", passport_expires_on=day_after)) == NextAction.EXTEND
    # An expiry not on record is to check, never a reason to renew.
    assert next_action(itas("expiring", passport_expires_on=None)) == NextAction.EXTEND


def test_which_forms_offer_the_worker() -> None:
    assert may_extend(itas("expiring"))
    assert may_extend(itas("expiring", passport_expires_on=EXPIRES))  # renew, then extend
    assert not may_extend(itas("expired"))  # an overstayer cannot extend
    assert not may_extend(itas("active"))  # before the window
    assert not may_extend(itas("expiring", open_extension=True))
    assert not may_extend(itas("expiring", permit_kind="ITAP"))
    assert may_apply_new(Standing("none")) and may_apply_new(itas("expired"))
    assert not may_apply_new(itas("active")) and not may_apply_new(itas("not_yet_valid"))
    assert may_report(itas("expired")) and not may_report(itas("revoked", departed=True))
