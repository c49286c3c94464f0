"""Public verification of the token in a permit's QR code: the permit's true status today
(permits.state), with the least personal data (masked name, nationality, dates). Every check is
logged."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from tka_registry.db import write_transaction
from tka_registry.documents import manual_codes, signing
from tka_registry.documents.keys import published_keys, trusted_statement
from tka_registry.documents.tables import Verification
from tka_registry.permits.state import PermitState, state_of
from tka_registry.permits.tables import Permit
from tka_registry.rules.nationality import nationality_name
from tka_registry.settings import Settings


class Outcome(StrEnum):
    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"  # genuine, but its first valid day is ahead
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    INVALID = "invalid"


class VerificationOut(BaseModel):
    """The answer to a verification; the personal fields are empty for an invalid token."""

    outcome: Outcome
    permit_number: str | None = None  # to compare with the paper
    # The permit's status today (permits.state), None for an invalid token; genuine is True
    # for every permit this office signed, valid or not.
    status: str | None = None
    genuine: bool = False
    holder: str | None = None  # masked, e.g. "Z**** W**"
    nationality: str | None = None  # ISO 3166-1 alpha-3 or ICAO code
    nationality_name_id: str | None = None
    nationality_name_en: str | None = None
    issued_on: date | None = None  # Tanggal Terbit / Date of Issue
    valid_from: date | None = None  # Berlaku Dari / Valid From
    expires_on: date | None = None  # Berlaku Sampai / Valid Until
    checked_at: datetime


def masked_name(name: str) -> str:
    """Each word's first letter, the rest as stars: enough to match a paper, not to identify."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


def outcome_of(state: PermitState) -> Outcome:
    """A permit inside its extension window is still valid to a verifier."""
    if state.in_force:
        return Outcome.VALID
    return Outcome(state.status.value)


async def _permit_for(statement: signing.PermitStatement) -> dict[str, Any] | None:
    columns = (
        Permit.id,
        Permit.number,
        Permit.issued_on,
        Permit.valid_from,
        Permit.expires_on,
        Permit.revoked_on,
        Permit.is_current,
        Permit.worker.full_name,
        Permit.worker.nationality,
    )
    row = await Permit.select(*columns).where(Permit.number == statement.permit_number).first()
    if row is None:  # numbers are signed upper case; a few may be stored otherwise
        rows = await Permit.select(*columns).where(Permit.number.ilike(statement.permit_number))
        row = rows[0] if len(rows) == 1 else None
    return row


async def verify(
    token: str, *, address: str, today: date, now: datetime, settings: Settings
) -> VerificationOut:
    """Check ``token`` (or the manual code printed under the QR) and answer the permit's status
    on ``today``; never raises on bad input."""
    code = manual_codes.parsed(token)
    if code is not None:
        token = await manual_codes.token_for(code) or ""
    statement = trusted_statement(token, {key.kid: key for key in await published_keys()})
    row = await _permit_for(statement) if statement else None
    if statement is None or row is None or row["expires_on"] != statement.expires_on:
        answer = VerificationOut(outcome=Outcome.INVALID, checked_at=now)
    else:
        state = state_of(row, today=today, settings=settings)
        code = row["worker.nationality"]
        answer = VerificationOut(
            outcome=outcome_of(state),
            status=state.status.value,
            genuine=True,
            permit_number=row["number"],
            holder=masked_name(row["worker.full_name"]),
            nationality=code,
            nationality_name_id=nationality_name(code, "id"),
            nationality_name_en=nationality_name(code, "en"),
            issued_on=row["issued_on"],
            valid_from=row["valid_from"],
            expires_on=row["expires_on"],
            checked_at=now,
        )
    async with write_transaction(Verification._meta.db):
        await Verification.insert(
            Verification(
                at=now,
                address=address[:64],
                outcome=answer.outcome.value,
                permit_id=row["id"] if row and answer.outcome != Outcome.INVALID else None,
            )
        )
    return answer
