"""Bodies for Second Home cases: a principal with spouse and child, passports valid long enough."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import httpx
import pytest
from httpx import AsyncClient

from tests.factories import signed_in
from tka_registry.app import create_app
from tka_registry.settings import Settings

_serial = itertools.count(1)
APPLIED = "2026-11-20"  # two days before the tests' clock (22 November 2026 WIB)


def person(full_name: str, *, expires_on: str = "2035-06-30", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "full_name": full_name,
        "sex": "M",
        "date_of_birth": "1960-05-17",
        "place_of_birth": "Perth",
        "nationality": "AUS",
        "address": "Jl. Demang Lebar Daun 8, Palembang",
        "regency": "Kota Palembang",
        "passport": {
            "number": f"PA{next(_serial):07d}",
            "issuing_country": "AUS",
            "issued_on": "2025-07-01",
            "expires_on": expires_on,
        },
    }
    return body | changes


def dependant(full_name: str, relation: str, **changes: Any) -> dict[str, Any]:
    return person(full_name, **changes) | {"relation": relation}


def case_body(**changes: Any) -> dict[str, Any]:
    """An eligible case: funds of Rp 2 billion exactly at Bank Mandiri, stay 5 years."""
    body: dict[str, Any] = {
        "application_date": APPLIED,
        "stay_years": 5,
        "funds_idr": "Rp 2.000.000.000",
        "bank": "Bank Mandiri",
        "principal": person("Oliver Bennett"),
        "dependants": [
            dependant("Grace Bennett", "istri", sex="F", date_of_birth="1962-02-11"),
            dependant("Lucas Bennett", "child", date_of_birth="2012-09-03"),
        ],
    }
    return body | changes


@pytest.fixture
async def officer(client: AsyncClient) -> dict[str, str]:
    return await signed_in(client, "officer")


async def entered(client: AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> dict:
    response = await client.post("/api/v1/second-home", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def decide(
    client: AsyncClient, headers: dict[str, str], case_id: int, *, approve: bool = True,
    decided_on: str = "2026-11-22", reason: str | None = None,
) -> Any:  # fmt: skip
    body = {"approve": approve, "decided_on": decided_on, "reason": reason}
    return await client.post(f"/api/v1/second-home/{case_id}/decision", json=body, headers=headers)


@asynccontextmanager
async def client_at(settings: Settings, instant: datetime) -> AsyncIterator[AsyncClient]:
    """A client on an app whose clock reads ``instant`` (same database as the test's app)."""
    app = create_app(settings, clock=lambda: instant)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
