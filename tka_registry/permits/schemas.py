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
    issued_on: date
    expires_on: date
    employer_id: int | None = None
    supersedes_id: int | None = None
    register_number: Annotated[str, Field(max_length=40)] | None = None


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
    issued_on: date
    expires_on: date
    employer_id: int | None
    supersedes_id: int | None
    superseded_by_id: int | None
    status: str
    days_to_expiry: int
    overstay_days: int
    overstay_fine_idr: int
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
