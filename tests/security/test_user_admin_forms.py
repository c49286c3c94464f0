"""The user management pages in a clerk's words: roles by name, employers chosen by name, no
default role, no way to lock oneself out, and a password reset that asks first."""

from __future__ import annotations

import re

import httpx

from tests.factories import account, bearer, created, employer_body, signed_in
from tests.security.conftest import csrf_token
from tka_registry.accounts import admin as accounts


async def _form(client: httpx.AsyncClient, path: str, headers: dict[str, str], **fields: str):
    token = await csrf_token(client)
    return await client.post(path, data={"_csrf_token": token, **fields}, headers=headers)


async def _account_id(email: str) -> int:
    rows, _total = await accounts.list_accounts(role=None, q=None, limit=500, offset=0)
    return int(next(row["id"] for row in rows if row["email"] == email))


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select[^>]*id="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert match, f"no select {name}"
    return match.group(1)


async def test_roles_are_named_and_employers_chosen_by_name(client: httpx.AsyncClient) -> None:
    officer = await signed_in(client, "officer")
    employer = await created(
        client, "/api/v1/employers", employer_body(0, name="PT Pupuk Sriwidjaja"), officer
    )
    sponsor = await account("employer", employer["id"])
    admin = await signed_in(client, "admin")
    page = (await client.get("/admin/akun/", headers=admin)).text
    assert "Petugas izin tinggal" in page and "Penjamin (pemberi kerja)" in page
    assert ">officer<" not in page and ">employer<" not in page
    row = page[page.index(f"<td>{sponsor}") :].split("</tr>", 1)[0]
    assert "PT Pupuk Sriwidjaja" in row
    new_role = _select(page, "role")
    assert '<option value="">Pilih peran</option>' in new_role  # no role chosen beforehand
    assert " selected" not in new_role
    employers = _select(page, "employer_id")
    assert f'<option value="{employer["id"]}">PT Pupuk Sriwidjaja</option>' in employers
    assert 'name="employer_id" inputmode' not in page  # no number to type

    await client.get("/bahasa/en")
    english = (await client.get("/admin/akun/", headers=admin)).text
    assert "Stay permit officer" in english and "Employer (sponsor)" in english


async def test_a_new_account_needs_a_chosen_role_and_says_what_is_missing(
    client: httpx.AsyncClient,
) -> None:
    admin = await signed_in(client, "admin")
    before = (await accounts.list_accounts(role=None, q=None, limit=500, offset=0))[1]
    missing = await _form(client, "/admin/akun/", admin, email="baru@imigrasi.test")
    assert missing.status_code == 400
    assert missing.headers["content-type"].startswith("text/html")
    assert "Pilih peran akun." in missing.text
    assert 'href="#role"' in missing.text  # the summary links the field
    assert 'value="baru@imigrasi.test"' in missing.text  # what was typed is kept
    employer = await _form(
        client, "/admin/akun/", admin, email="baru@imigrasi.test", role="employer"
    )
    assert "Pilih penjamin tempat pemilik akun bekerja." in employer.text
    assert "--employer-id" not in employer.text and "needs" not in _errors(employer.text)
    no_email = await _form(client, "/admin/akun/", admin, email="", role="officer")
    assert "Masukkan alamat email pemilik akun." in no_email.text
    taken = await account("officer")
    duplicate = await _form(client, "/admin/akun/", admin, email=taken, role="officer")
    assert duplicate.status_code == 400
    assert "Akun dengan alamat email ini sudah ada." in duplicate.text
    after = (await accounts.list_accounts(role=None, q=None, limit=500, offset=0))[1]
    assert after == before + 1  # only the factory's account: the refused forms made none


def _errors(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    return match.group(0) if match else ""


async def test_an_admin_cannot_disable_or_demote_their_own_account(
    client: httpx.AsyncClient,
) -> None:
    email = await account("admin")
    admin = await bearer(client, email)
    own = await _account_id(email)
    page = (await client.get("/admin/akun/", headers=admin)).text
    row = page[page.index(f"<td>{email}") :].split("</tr>", 1)[0]
    assert f"/admin/akun/{own}/status" not in row and f"/admin/akun/{own}/peran" not in row
    assert "akun Anda" in row

    disabled = await _form(client, f"/admin/akun/{own}/status", admin, is_active="false")
    demoted = await _form(client, f"/admin/akun/{own}/peran", admin, role="officer")
    for refused in (disabled, demoted):
        assert refused.status_code == 400
        assert refused.headers["content-type"].startswith("text/html")
        assert "Anda tidak dapat menonaktifkan akun Anda sendiri" in refused.text
    still = await accounts.get_account(own)
    assert still["is_active"] and still["role"] == "admin"


async def test_a_password_reset_asks_for_confirmation_first(client: httpx.AsyncClient) -> None:
    admin = await signed_in(client, "admin")
    email = await account("intelligence")
    target = await _account_id(email)
    before = await accounts.get_account(target)

    page = (await client.get("/admin/akun/", headers=admin)).text
    assert f'href="/admin/akun/{target}/kata-sandi"' in page  # a link to the question, no form
    question = await client.get(f"/admin/akun/{target}/kata-sandi", headers=admin)
    assert question.status_code == 200
    assert f"Atur ulang kata sandi {email}?" in question.text
    assert 'name="confirm" value="yes"' in question.text

    unconfirmed = await _form(client, f"/admin/akun/{target}/kata-sandi", admin)
    assert unconfirmed.status_code == 400
    assert "one-time-password" not in unconfirmed.text
    assert (await accounts.get_account(target))["password_changed_at"] == before[
        "password_changed_at"
    ]
    done = await _form(client, f"/admin/akun/{target}/kata-sandi", admin, confirm="yes")
    assert done.status_code == 200 and 'class="one-time-password"' in done.text
    missing = await client.get("/admin/akun/999999/kata-sandi", headers=admin)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
