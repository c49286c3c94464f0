"""Helpers of the applications tests: real PDF/PNG/JPEG bytes, MRZ lines and a ready case."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient
from PIL import Image
from pypdf import PdfWriter

from tests.factories import account, bearer, created, employer_body, permit_body, worker_body
from tka_registry.rules.mrz import check_digit


def pdf_bytes(marker: bytes = b"") -> bytes:
    """A one-page PDF; a different ``marker`` gives a file with another SHA-256."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if marker:
        writer.add_metadata({"/Subject": marker.decode()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 160)).save(out, format=kind)
    return out.getvalue()


def _mrz_date(day: date) -> str:
    return day.strftime("%y%m%d")


def td3(
    surname: str,
    given: str,
    number: str,
    nationality: str,
    born: date,
    sex: str,
    expires: date,
) -> str:
    """Two TD3 lines with correct check digits (ICAO 9303 part 4)."""
    name = f"{surname}<<{given.replace(' ', '<')}"
    line1 = f"P<{nationality}{name}".ljust(44, "<")[:44]
    number_field = number.ljust(9, "<")
    personal = "<" * 14
    body = (
        f"{number_field}{check_digit(number_field)}{nationality}"
        f"{_mrz_date(born)}{check_digit(_mrz_date(born))}{sex}"
        f"{_mrz_date(expires)}{check_digit(_mrz_date(expires))}{personal}{check_digit(personal)}"
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return f"{line1}\n{body}{check_digit(composite)}"


def new_itas_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "itas_new",
        "surname": "WANG",
        "given_names": "FANG",
        "sex": "F",
        "date_of_birth": "1988-07-14",
        "place_of_birth": "Chengdu",
        "nationality": "CHN",
        "passport_number": "EA1234567",
        "passport_issued_on": "2024-02-01",
        "passport_expires_on": "2034-01-31",
        "address": "Jl. Demang Lebar Daun 5, Palembang",
        "regency": "Kota Palembang",
        "position": "Boiler Engineer",
        "visa_index": "E23C",
        "requested_from": "2026-12-01",
        "requested_until": "2027-11-30",
    }
    return body | changes


@dataclass
class Office:
    officer: dict[str, str]
    employer: dict[str, Any]
    other_employer: dict[str, Any]
    sponsor: dict[str, str]  # the employer's account
    other_sponsor: dict[str, str]


@pytest.fixture
async def office(client: AsyncClient) -> Office:
    officer = await bearer(client, await account("officer"))
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    other = await created(client, "/api/v1/employers", employer_body(1, name="PT Lain"), officer)
    return Office(
        officer=officer,
        employer=employer,
        other_employer=other,
        sponsor=await bearer(client, await account("employer", employer["id"])),
        other_sponsor=await bearer(client, await account("employer", other["id"])),
    )


async def worker_with_permit(
    client: AsyncClient, office: Office, *, issued_on: str, expires_on: str, **worker: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A worker of ``office.employer`` holding an E23C ITAS with these dates."""
    body = worker_body(office.employer["id"], **worker)
    made = await created(client, "/api/v1/workers", body, office.officer)
    permit = await created(
        client,
        "/api/v1/permits",
        permit_body(made["id"], issued_on=issued_on, expires_on=expires_on),
        office.officer,
    )
    return made, permit


async def upload(
    client: AsyncClient,
    case_id: int,
    headers: dict[str, str],
    content: bytes,
    *,
    kind: str = "passport_page",
    name: str = "paspor.pdf",
    content_type: str = "application/pdf",
) -> Any:
    return await client.post(
        f"/api/v1/applications/{case_id}/attachments",
        data={"kind": kind},
        files={"file": (name, content, content_type)},
        headers=headers,
    )


WORK_PERMIT_DOCUMENTS = ("passport_page", "rptka", "dkptka", "photo")


async def attach_documents(
    client: AsyncClient,
    case_id: int,
    headers: dict[str, str],
    kinds: tuple[str, ...] = WORK_PERMIT_DOCUMENTS,
) -> None:
    """Attach one file of each of ``kinds`` (by default what a new ITAS or an extension needs,
    applications.checklist), each with a SHA-256 of its own."""
    for kind in kinds:
        photo = kind == "photo"
        response = await upload(
            client,
            case_id,
            headers,
            image_bytes("PNG") if photo else pdf_bytes(f"{kind} {case_id}".encode()),
            kind=kind,
            name=f"{kind}.png" if photo else f"{kind}.pdf",
            content_type="image/png" if photo else "application/pdf",
        )
        assert response.status_code == 201, response.text


async def submitted_itas(client: AsyncClient, office: Office, passport: str = "EA1234567") -> int:
    """A new-ITAS case of ``office.employer``, its checklist's documents attached, submitted:
    its id."""
    draft = await created(
        client, "/api/v1/applications", new_itas_body(passport_number=passport), office.sponsor
    )
    await attach_documents(client, draft["id"], office.sponsor)
    sent = await client.post(f"/api/v1/applications/{draft['id']}/submit", headers=office.sponsor)
    assert sent.status_code == 200, sent.text
    return int(draft["id"])
