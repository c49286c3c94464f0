"""List answers are written by msgspec from the page's fields (pagination.page_fields), not
dumped by pydantic first: the JSON must be what pydantic would have written."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import msgspec
from litestar import Litestar
from litestar.serialization import encode_json, get_serializer

from tka_registry.employers.schemas import EmployerOut
from tka_registry.pagination import Page
from tka_registry.workers.schemas import CurrentPermit, WorkerSummary


def _written(app: Litestar, page: Page[Any]) -> object:
    return msgspec.json.decode(encode_json(page, get_serializer(app.type_encoders)))


def test_a_page_of_rows_and_a_page_of_models_read_as_pydantic_writes_them(app: Litestar) -> None:
    permit = CurrentPermit(
        id=5,
        number="2C11AA0001",
        kind="ITAS",
        visa_index="E23C",
        valid_from=date(2026, 1, 5),
        expires_on=date(2027, 1, 4),
        status="valid",
        days_to_expiry=34,
        overstay_days=0,
    )
    worker = WorkerSummary(
        id=1,
        full_name="Zhang Wei",
        sex="M",
        date_of_birth=date(1980, 2, 29),
        nationality="CHN",
        nationality_name="China",
        regency="Kota Palembang",
        position="Welder",
        employer_id=3,
        passport_number="E12345678",
        current_permit=permit,
    )
    workers = Page[WorkerSummary].model_construct(
        items=[worker, replace(worker, id=2, current_permit=None)], total=2, limit=50, offset=0
    )
    employer = EmployerOut(
        id=3,
        name="PT Sriwijaya Baja",
        nib=None,
        npwp=None,
        npwp_formatted=None,
        address="Jl. Demang Lebar Daun",
        regency="Kota Palembang",
        sector="manufacturing",
        email="hr@example.test",
        phone="+62711",
        created_at=datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
        updated_at=datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
        missing=["nib"],
    )
    employers = Page[EmployerOut](items=[employer], total=1, limit=50, offset=0)
    for page in (workers, employers):
        assert _written(app, page) == json.loads(page.model_dump_json())
