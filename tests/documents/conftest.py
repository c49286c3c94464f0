"""Shared data for document tests: a signing key, and permit and decision factories."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader

from tka_registry.documents import signing
from tka_registry.documents.render import DecisionLetter, PermitDocument

BASE_URL = "https://tka.imigrasi-palembang.go.id"


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def make_permit(signing_key: Ed25519PrivateKey) -> Callable[..., PermitDocument]:
    def make(**changes: Any) -> PermitDocument:
        base = PermitDocument(
            permit_number="2C21JD0123-AB",
            register_number="REG-2026-000417",
            kind="ITAS",
            visa_index="E23M",
            holder_name="ZHANG WEI",
            sex="M",
            birth_date=date(1985, 3, 14),
            birth_place="Wuhan",
            nationality="CHN",
            passport_number="EJ1234567",
            issued_on=date(2025, 12, 22),
            valid_from=date(2026, 1, 5),
            expires_on=date(2027, 1, 5),
            address="Jl. Jenderal Sudirman No. 45, Kota Palembang",
            verify_url="",
            employer_name="PT Pupuk Sriwidjaja Palembang",
            position="Process Engineer",
        )
        permit = dataclasses.replace(base, **changes)
        if "verify_url" in changes:
            return permit
        statement = signing.permit_statement(
            permit.permit_number or "",
            permit.holder_name or "",
            permit.nationality or "",
            permit.expires_on or date(2000, 1, 1),
        )
        token = signing.sign_permit(signing_key, statement)
        return dataclasses.replace(permit, verify_url=signing.verify_url(BASE_URL, token))

    return make


@pytest.fixture(scope="session")
def make_letter() -> Callable[..., DecisionLetter]:
    def make(**changes: Any) -> DecisionLetter:
        base = DecisionLetter(
            register_number="REG-2026-000417",
            approved=False,
            decided_on=date(2026, 1, 5),
            officer_name="Rina Kartika Sari",
            addressee_name="PT Pupuk Sriwidjaja Palembang",
            applicant_name="PT Pupuk Sriwidjaja Palembang",
            worker_name="ZHANG WEI",
            worker_nationality="CHN",
            application_kind="itas_extension",
            reason="Persetujuan RPTKA yang dilampirkan telah berakhir.",
            addressee_address="Jl. Mayor Zen, Kalidoni, Palembang",
            passport_number="EJ1234567",
            submitted_on=date(2025, 12, 20),
        )
        return dataclasses.replace(base, **changes)

    return make


@pytest.fixture(scope="session")
def pdf_text() -> Callable[[bytes], str]:
    """All text of a PDF read back with pypdf, whitespace collapsed."""

    def read(pdf: bytes) -> str:
        reader = PdfReader(io.BytesIO(pdf))
        return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())

    return read
