"""Every form a page posts is refused without the CSRF token: generated from the route table,
so a new form route is covered the moment it is registered."""

from __future__ import annotations

from litestar import Litestar

from tests.security.conftest import (
    CSRF_HEADER,
    UNSAFE,
    concrete_path,
    csrf_token,
    is_page,
    sign_in_as,
)
from tka_registry.security.access_table import endpoints


def _form_routes(app: Litestar) -> list:
    return [e for e in endpoints(app) if e.method in UNSAFE and is_page(e)]


async def test_there_are_forms_to_protect(app: Litestar) -> None:
    assert any(e.path == "/masuk" for e in _form_routes(app))


async def test_forms_without_the_token_are_refused(client, app, own_employer) -> None:
    employer = await sign_in_as(client, "employer", own_employer)
    admin = await sign_in_as(client, "admin", own_employer)
    token = await csrf_token(client)  # the cookie is held, only the form lacks the token
    wrong = []
    for endpoint in _form_routes(app):
        path = concrete_path(endpoint.path)
        for headers in ({}, employer, admin):
            response = await client.request(endpoint.method, path, headers=headers, data={})
            if response.status_code != 403:
                wrong.append(f"{endpoint.method} {endpoint.path}: {response.status_code}")
        forged = await client.request(
            endpoint.method, path, headers={CSRF_HEADER: token[::-1]}, data={"_csrf_token": "x"}
        )
        if forged.status_code != 403:
            wrong.append(f"{endpoint.method} {endpoint.path} forged: {forged.status_code}")
    assert not wrong, "forms accepted without a valid CSRF token: " + "; ".join(wrong)


async def test_the_sign_in_form_with_its_token_is_not_refused(client) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/masuk", data={"_csrf_token": token, "email": "x@y.test", "password": "salah"}
    )
    assert response.status_code != 403
