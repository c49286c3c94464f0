"""The admins' user management pages: each form works, is audited and needs its CSRF token."""

from __future__ import annotations

import re

from tests.factories import PASSWORD, account, bearer, signed_in
from tests.security.conftest import csrf_token


async def _form(client, path: str, headers: dict[str, str], **fields: str):
    token = await csrf_token(client)
    return await client.post(path, data={"_csrf_token": token, **fields}, headers=headers)


async def test_create_disable_reset_and_change_role_from_the_pages(client) -> None:
    admin = await signed_in(client, "admin")
    listing = await client.get("/admin/akun/", headers=admin)
    assert listing.status_code == 200 and listing.headers["cache-control"] == "no-store"

    made = await _form(client, "/admin/akun/", admin, email="Baru@Imigrasi.test", role="officer")
    assert made.status_code == 200, made.text
    password = re.search(r'class="one-time-password">([^<]+)<', made.text)
    assert password, made.text
    officer = await bearer_with(client, "baru@imigrasi.test", password.group(1))
    me = (await client.get("/api/v1/auth/me", headers=officer)).json()
    account_id = me["account_id"]

    disabled = await _form(client, f"/admin/akun/{account_id}/status", admin, is_active="false")
    assert disabled.status_code == 303
    assert (await client.get("/api/v1/auth/me", headers=officer)).status_code == 401
    enabled = await _form(client, f"/admin/akun/{account_id}/status", admin, is_active="true")
    assert enabled.status_code == 303

    reset = await _form(client, f"/admin/akun/{account_id}/kata-sandi", admin, confirm="yes")
    new_password = re.search(r'class="one-time-password">([^<]+)<', reset.text)
    assert new_password and new_password.group(1) != password.group(1)

    unbound = await _form(client, f"/admin/akun/{account_id}/peran", admin, role="employer")
    assert unbound.status_code == 400
    assert "Pilih penjamin tempat pemilik akun bekerja." in unbound.text
    role = await _form(client, f"/admin/akun/{account_id}/peran", admin, role="intelligence")
    assert role.status_code == 303

    log = (
        await client.get(f"/api/v1/audit?object_type=account&object_id={account_id}", headers=admin)
    ).json()
    actions = [item["action"] for item in log["items"] if item["actor"] != "baru@imigrasi.test"]
    assert actions[:4] == [
        "account.update",
        "account.password_reset",
        "account.update",
        "account.update",
    ]


async def bearer_with(client, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_other_roles_cannot_manage_users(client) -> None:
    officer = await bearer(client, await account("officer"))
    assert (await client.get("/admin/akun/", headers=officer)).status_code == 403
    refused = await _form(client, "/admin/akun/", officer, email="x@y.test", role="admin")
    assert refused.status_code == 403
    assert PASSWORD  # the factories' password is what the accounts above use
