"""Every form a page posts answers a page, never JSON and never a 5xx, however bad the form is.

Generated from the route table (like tests/security/test_csrf.py): a new page POST route is
covered the moment it is registered. Each route gets, with its CSRF token, an empty form and a
form of malformed values, once on real records of the right kind and once on a missing one.
"""

from __future__ import annotations

from typing import Any

import httpx
from litestar import Litestar

from tests.applications.conftest import new_itas_body
from tests.factories import account, bearer, created, employer_body, signed_in
from tests.second_home.conftest import case_body
from tests.security.conftest import UNSAFE, concrete_path, csrf_token, is_page
from tka_registry.accounts.roles import Role
from tka_registry.security.access_table import Endpoint, endpoints

# Every field name the page forms use, each with a value no field accepts.
MALFORMED = {
    name: "zzz-%!"
    for name in (
        "action actor address application_date bank change civil_status current_password "
        "date_of_birth decided_on decision departed_on email employer_id expires_on file "
        "funds_idr given_names is_active issued_on kind lodged_on message mode mrz nationality "
        "new_password new_password_again note owns_property passport_expires_on "
        "passport_issued_on passport_number password permit_number place_of_birth position "
        "property_description reason regency register_number requested_from requested_until "
        "revoked_on role sector sex since status stay_years surname worker_id"
    ).split()
}


def _page_forms(app: Litestar) -> list[Endpoint]:
    return [e for e in endpoints(app) if e.method in UNSAFE and is_page(e)]


def _role_for(endpoint: Endpoint) -> str | None:
    """A role the route admits (the most capable one), None for a public form."""
    if endpoint.is_public:
        return None
    roles = endpoint.roles or ()
    order = (Role.ADMIN, Role.OFFICER, Role.EMPLOYER, Role.INTELLIGENCE)
    return next(str(role) for role in order if role in roles)


async def _records(client: httpx.AsyncClient) -> dict[str, dict[str, str]]:
    """Real ids per path prefix: an account, the employer's draft, a Second Home case."""
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    sponsor = await bearer(client, await account("employer", employer["id"]))
    draft = await created(client, "/api/v1/applications", new_itas_body(), sponsor)
    second_home = await created(client, "/api/v1/second-home", case_body(), officer)
    other = await account("officer")
    found = (await client.get("/api/v1/accounts", headers=await signed_in(client, "admin"))).json()
    account_id = next(a["id"] for a in found["items"] if a["email"] == other)
    return {
        "/admin/akun/": {"account_id": str(account_id)},
        "/portal/permohonan/": {"case_id": str(draft["id"])},
        "/petugas/permohonan/": {"case_id": str(draft["id"])},
        "/petugas/rumah-kedua/": {"case_id": str(second_home["id"])},
        "employer": {"employer_id": str(employer["id"])},
    }


def _answers_a_page(response: httpx.Response) -> bool:
    if response.status_code >= 500:
        return False
    if response.is_redirect:  # post/redirect/get to a page of this site
        return response.headers.get("location", "").startswith("/")
    return response.headers.get("content-type", "").startswith("text/html")


async def test_there_are_page_forms(app: Litestar) -> None:
    paths = {e.path for e in _page_forms(app)}
    assert {"/masuk", "/admin/akun"} <= paths


async def test_every_page_form_answers_a_page_on_bad_input(
    client: httpx.AsyncClient, app: Litestar
) -> None:
    records = await _records(client)
    headers_of: dict[str | None, dict[str, str]] = {None: {}}
    for role in ("admin", "officer", "intelligence"):
        headers_of[role] = await signed_in(client, role)
    headers_of["employer"] = await signed_in(
        client, "employer", int(records["employer"]["employer_id"])
    )
    token = await csrf_token(client)
    wrong: list[str] = []
    for endpoint in _page_forms(app):
        if endpoint.path == "/keluar":
            continue  # signing out takes no fields
        values = next((v for k, v in records.items() if endpoint.path.startswith(k)), {})
        paths = {concrete_path(endpoint.path, values), concrete_path(endpoint.path)}
        headers = headers_of[_role_for(endpoint)]
        for path in sorted(paths):
            for label, form in (("empty", {}), ("malformed", MALFORMED)):
                data: dict[str, Any] = {**form, "_csrf_token": token}
                response = await client.request(endpoint.method, path, data=data, headers=headers)
                if not _answers_a_page(response):
                    kind = response.headers.get("content-type")
                    wrong.append(
                        f"{endpoint.method} {path} ({label}): {response.status_code} {kind}"
                    )
    assert not wrong, "page forms that did not answer a page:\n" + "\n".join(wrong)
