"""What the intelligence endpoints answer: list rows, a person's history, counts, overstays."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from tka_registry.workers.schemas import WorkerOut

# Opening one person's record states why (UU 6/2011 art. 66: supervision of foreigners), 5..200.
Purpose = Annotated[str, Field(min_length=5, max_length=200)]


class RowPermit(BaseModel):
    """The worker's current permit as a list row shows it."""

    id: int
    number: str
    kind: str
    visa_index: str
    issued_on: date
    valid_from: date
    expires_on: date
    status: str
    overstay_days: int


class IntelligenceRow(BaseModel):
    id: int
    full_name: str
    sex: str
    date_of_birth: date
    nationality: str
    nationality_name: str
    nationality_name_id: str
    regency: str
    position: str
    employer_id: int | None
    employer_name: str | None
    sector: str | None
    passport_number: str | None
    current_permit: RowPermit | None
    history_url: str


class EmployerPeriod(BaseModel):
    """An employer the person worked for under one permit, from issue to expiry or revocation."""

    employer_id: int | None
    employer_name: str | None
    permit_id: int
    permit_number: str
    from_on: date
    until_on: date


class EmployerChange(BaseModel):
    """A change of sponsor written on the worker's record (audit ``worker.create/update``)."""

    at: datetime
    actor: str
    before_employer_id: int | None
    after_employer_id: int | None


class PersonHistory(BaseModel):
    worker: WorkerOut
    employer_periods: list[EmployerPeriod]
    employer_changes: list[EmployerChange]


class NationalityCount(BaseModel):
    nationality: str
    name: str
    name_id: str
    count: int


class NationalityStats(BaseModel):
    items: list[NationalityCount]
    total: int


class EmployerCount(BaseModel):
    employer_id: int | None
    name: str | None
    count: int


class EmployerStats(BaseModel):
    items: list[EmployerCount]
    total: int


class RegencyCount(BaseModel):
    regency: str
    count: int


class RegencyStats(BaseModel):
    items: list[RegencyCount]
    total: int


class SectorCount(BaseModel):
    sector: str | None
    count: int


class SectorStats(BaseModel):
    items: list[SectorCount]
    total: int


class VisaIndexCount(BaseModel):
    visa_index: str
    name_id: str
    name_en: str
    category: str
    count: int


class VisaIndexStats(BaseModel):
    items: list[VisaIndexCount]
    total: int


class MonthCount(BaseModel):
    month: str  # YYYY-MM
    count: int


class MonthStats(BaseModel):
    items: list[MonthCount]
    total: int


class Overstay(BaseModel):
    worker_id: int
    full_name: str
    nationality: str
    nationality_name: str
    regency: str
    employer_id: int | None
    employer_name: str | None
    permit_id: int
    permit_number: str
    kind: str
    visa_index: str
    expires_on: date
    overstay_days: int
    fine_idr: int
    faces_deportation: bool
    history_url: str
