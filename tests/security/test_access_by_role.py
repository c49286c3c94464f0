"""Every endpoint, every role: generated from the app's route table, so a new endpoint is
covered the moment it is registered."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar

from tests.security.conftest import ROLES, call, is_page, sign_in_as
from tka_registry.security.access_table import Endpoint, endpoints

REFUSALS = {401, 403}


def _is_guarded(endpoint: Endpoint) -> bool:
    return not endpoint.is_public


async def _still_signed_in(client: httpx.AsyncClient, headers: dict[str, str]) -> bool:
    return (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200


async def test_every_endpoint_declares_an_access_rule(app: Litestar) -> None:
    missing = [f"{e.method} {e.path} ({e.handler})" for e in endpoints(app) if e.roles is None]
    assert not missing, "endpoints without opt=access(...): " + ", ".join(missing)


def _sent_to_sign_in(response: httpx.Response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/masuk")


async def test_anonymous_callers_are_refused_by_every_guarded_endpoint(client, app) -> None:
    """401 from the JSON API; pages send the visitor to the sign-in page instead (303)."""
    wrong = []
    for endpoint in filter(_is_guarded, endpoints(app)):
        response = await call(client, endpoint, {})
        refused = _sent_to_sign_in(response) if is_page(endpoint) else response.status_code == 401
        if not refused:
            wrong.append(f"{endpoint.method} {endpoint.path}: {response.status_code}")
    assert not wrong, "anonymous callers not refused: " + "; ".join(wrong)


async def test_public_endpoints_answer_anyone(client, app) -> None:
    public = [e for e in endpoints(app) if e.is_public]
    assert any(e.path == "/health" for e in public)
    for endpoint in public:
        response = await call(client, endpoint, {})
        assert response.status_code not in REFUSALS, f"{endpoint.method} {endpoint.path}"


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reaches_exactly_its_endpoints(
    client, app, role_headers, own_employer, role
) -> None:
    headers = role_headers[role]
    wrong = []
    for endpoint in filter(_is_guarded, endpoints(app)):
        allowed = role in (endpoint.roles or ())
        response = await call(client, endpoint, headers)
        status = response.status_code
        if allowed and status in REFUSALS:
            wrong.append(f"{endpoint.method} {endpoint.path}: refused {status} {response.text}")
        if not allowed and status != 403:
            wrong.append(f"{endpoint.method} {endpoint.path}: {status}, expected 403")
        if not await _still_signed_in(client, headers):  # the endpoint signed this token out
            headers = await sign_in_as(client, role, own_employer)
    assert not wrong, f"{role}: " + "; ".join(wrong)
