"""Permit input and output."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from tka_registry.rules.permits import PermitKind

PermitNumber = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9./-]+$")]
VisaIndexCode = Annotated[str, Field(min_length=1, max_length=10)]


class PermitIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    worker_id: int
    kind: PermitKind
    visa_index: VisaIndexCode
    number: PermitNumber
    # The day the permit is decided and issued ("Tanggal Terbit").
    issued_on: date
    # Its first valid day ("Berlaku Dari"); the issue day when left out.
    valid_from: date | None = None
    expires_on: date
    employer_id: int | None = None
    supersedes_id: int | None = None
    register_number: Annotated[str, Field(max_length=40)] | None = None

    @property
    def first_day(self) -> date:
        """The first valid day: ``valid_from``, else the issue day."""
        return self.valid_from or self.issued_on


class PermitRevocation(BaseModel):
    """The one change a permit takes: it is revoked on a date, for a reason. Nothing else."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    revoked_on: date
    revocation_reason: Annotated[str, Field(min_length=3, max_length=1000)]


class PermitOut(BaseModel):
    id: int
    worker_id: int
    kind: str
    visa_index: str
    number: str
    issued_on: date  # decided and issued ("Tanggal Terbit")
    valid_from: date  # first valid day ("Berlaku Dari")
    expires_on: date  # last valid day ("Berlaku Sampai")
    employer_id: int | None
    supersedes_id: int | None
    superseded_by_id: int | None
    status: str  # permits.state: not_yet_valid, active, expiring, expired, revoked, superseded
    days_to_expiry: int
    overstay_days: int
    overstay_fine_idr: int
    faces_deportation: bool
    revoked_on: date | None
    revocation_reason: str | None
    register_number: str | None
    created_at: datetime


class VisaIndexOut(BaseModel):
    code: str
    name_id: str
    name_en: str
    category: str
    kinds: list[str]
    requires_sponsor: bool
    active: bool
