"""Helpers for the access tests: the route table of the real app, and one token per role."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.factories import created, employer_body, signed_in
from tka_registry.security.access_table import Endpoint

ROLES = ("admin", "officer", "intelligence", "employer")
_PARAMETER = re.compile(r"\{(\w+)(?::(\w+))?\}")
_EXAMPLES = {"int": "999999", "uuid": "00000000-0000-0000-0000-000000000000", "date": "2026-11-22"}


def concrete_path(path: str, values: dict[str, str] | None = None) -> str:
    """``/workers/{worker_id:int}`` with a value for each parameter (a missing record's id)."""

    def value(match: re.Match[str]) -> str:
        name, kind = match.group(1), match.group(2) or "str"
        return (values or {}).get(name) or _EXAMPLES.get(kind, "x")

    return _PARAMETER.sub(value, path)


async def call(
    client: httpx.AsyncClient, endpoint: Endpoint, headers: dict[str, str], path: str | None = None
) -> httpx.Response:
    """Send ``endpoint`` an empty JSON body (where it takes one) with ``headers``."""
    options: dict[str, Any] = {"headers": headers}
    if endpoint.method in {"POST", "PUT", "PATCH"}:
        options["json"] = {}
    return await client.request(endpoint.method, path or concrete_path(endpoint.path), **options)


@pytest.fixture
async def own_employer(client: httpx.AsyncClient) -> dict[str, Any]:
    """The employer the employer-role account of ``role_headers`` is bound to."""
    officer = await signed_in(client, "officer")
    return await created(client, "/api/v1/employers", employer_body(0), officer)


async def sign_in_as(
    client: httpx.AsyncClient, role: str, employer: dict[str, Any]
) -> dict[str, str]:
    return await signed_in(client, role, employer["id"] if role == "employer" else None)


@pytest.fixture
async def role_headers(
    client: httpx.AsyncClient, own_employer: dict[str, Any]
) -> dict[str, dict[str, str]]:
    """A bearer token per role."""
    return {role: await sign_in_as(client, role, own_employer) for role in ROLES}
