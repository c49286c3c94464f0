"""Admins manage accounts: every change audited, and disabling or resetting signs out."""

from __future__ import annotations

from tests.factories import PASSWORD, account, bearer, created, employer_body, signed_in


async def _audit(client, admin, account_id: int, action: str) -> list[dict]:
    query = f"object_type=account&object_id={account_id}&action={action}"
    return (await client.get(f"/api/v1/audit?{query}", headers=admin)).json()["items"]


async def _me(client, headers) -> int:
    return (await client.get("/api/v1/auth/me", headers=headers)).status_code


async def test_create_with_a_one_time_password_and_list(client) -> None:
    admin = await signed_in(client, "admin")
    response = await client.post(
        "/api/v1/accounts",
        json={"email": "Analis@Imigrasi.test", "role": "intelligence"},
        headers=admin,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == "analis@imigrasi.test" and body["is_active"] is True
    assert len(body["one_time_password"]) >= 16
    assert "password_hash" not in body
    token = await client.post(
        "/api/v1/auth/token",
        json={"email": "analis@imigrasi.test", "password": body["one_time_password"]},
    )
    assert token.status_code == 200

    page = (await client.get("/api/v1/accounts?role=intelligence", headers=admin)).json()
    assert [item["email"] for item in page["items"]] == ["analis@imigrasi.test"]
    duplicate = await client.post(
        "/api/v1/accounts",
        json={"email": "analis@imigrasi.test", "role": "officer", "password": PASSWORD},
        headers=admin,
    )
    assert duplicate.status_code == 409
    created_entries = await _audit(client, admin, body["id"], "account.create")
    assert len(created_entries) == 1


async def test_disabling_revokes_tokens_and_enabling_restores_sign_in(client) -> None:
    admin = await signed_in(client, "admin")
    email = await account("officer")
    officer = await bearer(client, email)
    account_id = (await client.get("/api/v1/auth/me", headers=officer)).json()["account_id"]

    response = await client.patch(
        f"/api/v1/accounts/{account_id}", json={"is_active": False}, headers=admin
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert await _me(client, officer) == 401
    refused = await client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 401

    entry = (await _audit(client, admin, account_id, "account.update"))[0]
    assert entry["details"]["before"]["is_active"] is True
    assert entry["details"]["after"]["is_active"] is False
    assert entry["details"]["revoked_tokens"] == 1

    await client.patch(f"/api/v1/accounts/{account_id}", json={"is_active": True}, headers=admin)
    assert await _me(client, await bearer(client, email)) == 200


async def test_reset_password_signs_out_everywhere(client) -> None:
    admin = await signed_in(client, "admin")
    email = await account("officer")
    first, second = await bearer(client, email), await bearer(client, email)
    account_id = (await client.get("/api/v1/auth/me", headers=first)).json()["account_id"]

    response = await client.post(f"/api/v1/accounts/{account_id}/password", json={}, headers=admin)
    assert response.status_code == 200
    temporary = response.json()["one_time_password"]
    assert await _me(client, first) == 401 and await _me(client, second) == 401
    old = await client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert old.status_code == 401
    new = await client.post("/api/v1/auth/token", json={"email": email, "password": temporary})
    assert new.status_code == 200

    chosen = await client.post(
        f"/api/v1/accounts/{account_id}/password", json={"password": "pendek"}, headers=admin
    )
    assert chosen.status_code == 422 and chosen.json()["errors"][0]["field"] == "password"
    entries = await _audit(client, admin, account_id, "account.password_reset")
    assert entries[0]["details"] == {"generated": True, "revoked_tokens": 2}
    assert temporary not in str(entries)


async def test_change_role_and_employer_binding(client) -> None:
    admin = await signed_in(client, "admin")
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    account_id = (await client.get("/api/v1/auth/me", headers=officer)).json()["account_id"]
    path = f"/api/v1/accounts/{account_id}"

    unbound = await client.patch(path, json={"role": "employer"}, headers=admin)
    assert unbound.status_code == 422 and unbound.json()["errors"][0]["field"] == "employer_id"
    missing = await client.patch(
        path, json={"role": "employer", "employer_id": 999999}, headers=admin
    )
    assert missing.status_code == 422
    bound = await client.patch(
        path, json={"role": "employer", "employer_id": employer["id"]}, headers=admin
    )
    assert bound.status_code == 200, bound.text
    assert bound.json()["role"] == "employer" and bound.json()["employer_id"] == employer["id"]
    assert await _me(client, officer) == 401  # the officer's token does not carry over

    back = await client.patch(path, json={"role": "intelligence"}, headers=admin)
    assert back.json()["employer_id"] is None
    entries = await _audit(client, admin, account_id, "account.update")
    assert entries[1]["details"]["before"] == {
        "role": "officer",
        "employer": None,
        "is_active": True,
    }
    assert entries[1]["details"]["after"]["employer"] == employer["id"]
    assert entries[0]["details"]["after"]["role"] == "intelligence"


async def test_admin_cannot_lock_themselves_out(client) -> None:
    admin = await signed_in(client, "admin")
    me = (await client.get("/api/v1/auth/me", headers=admin)).json()["account_id"]
    for change in ({"is_active": False}, {"role": "officer"}):
        response = await client.patch(f"/api/v1/accounts/{me}", json=change, headers=admin)
        assert response.status_code == 409
    assert await _me(client, admin) == 200
    missing = await client.patch(
        "/api/v1/accounts/999999", json={"is_active": False}, headers=admin
    )
    assert missing.status_code == 404
    unknown = await client.patch(f"/api/v1/accounts/{me}", json={"role": "root"}, headers=admin)
    assert unknown.status_code == 400
