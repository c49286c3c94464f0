"""Officers' full name, NIP and position through the accounts API, the admin page and the CLI."""

from __future__ import annotations

from tests.factories import account, signed_in
from tests.security.conftest import csrf_token
from tests.test_cli import tka
from tka_registry.accounts.tables import Account

ACCOUNTS = "/api/v1/accounts"


async def test_accounts_api_checks_the_nip_and_keeps_it_unique(client) -> None:
    admin = await signed_in(client, "admin")
    body = {
        "email": "dewi@imigrasi.test",
        "role": "officer",
        "full_name": "  Dewi   Lestari ",
        "nip": "199002142014032001",
        "position": "Analis Keimigrasian Ahli Pertama",
    }
    made = await client.post(ACCOUNTS, json=body, headers=admin)
    assert made.status_code == 201, made.text
    assert made.json()["full_name"] == "Dewi Lestari" and made.json()["nip"] == body["nip"]
    twice = await client.post(ACCOUNTS, json=body | {"email": "x@imigrasi.test"}, headers=admin)
    assert twice.status_code == 409 and twice.json()["errors"][0]["field"] == "nip"
    bad = await client.post(
        ACCOUNTS,
        json=body | {"email": "y@imigrasi.test", "nip": "199002302014032001"},
        headers=admin,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0] == {
        "field": "nip",
        "reason": "digits 1-8 must be the birth date (yyyymmdd): 19900230 is no calendar day",
    }
    employer_nip = await client.post(
        ACCOUNTS,
        json={"email": "e@pt.test", "role": "employer", "employer_id": 1, "nip": body["nip"]},
        headers=admin,
    )
    assert employer_nip.status_code == 422
    assert (
        await Account.count().where(Account.email.is_in(["x@imigrasi.test", "y@imigrasi.test"]))
        == 0
    )
    listed = (await client.get(ACCOUNTS, headers=admin, params={"q": "dewi"})).json()["items"]
    assert listed[0]["position"] == "Analis Keimigrasian Ahli Pertama"


async def test_admin_page_sets_an_officers_identity(client) -> None:
    admin = await signed_in(client, "admin")
    officer = await account("officer", officer=False)
    row = await Account.select(Account.id).where(Account.email == officer).first()
    path = f"/admin/akun/{row['id']}/identitas"
    form = {"full_name": "Budi Santoso", "nip": "1986110520100110", "position": "Kasi Inteldakim"}
    token = await csrf_token(client)
    refused = await client.post(path, data=form | {"_csrf_token": token}, headers=admin)
    assert refused.status_code == 400
    assert refused.headers["content-type"].startswith("text/html")
    assert "Isi 18 angka NIP" in refused.text  # the page's language
    unchanged = await Account.select(Account.nip).where(Account.id == row["id"]).first()
    assert unchanged["nip"] is None
    saved = await client.post(
        path, data=form | {"nip": "198611052010011003", "_csrf_token": token}, headers=admin
    )
    assert saved.status_code == 303
    stored = await Account.select().where(Account.id == row["id"]).first()
    assert (stored["full_name"], stored["nip"]) == ("Budi Santoso", "198611052010011003")
    listing = await client.get(saved.headers["location"], headers=admin)
    assert "NIP 198611052010011003" in listing.text


async def test_cli_creates_an_officer_who_can_sign(db) -> None:
    result = tka(
        db, "users", "create", "--email", "rina@imigrasi.test", "--role", "officer",
        "--full-name", "Rina Kartika Sari", "--nip", "199002142014032001",
        "--position", "Kepala Seksi Izin Tinggal", "--password-stdin",
        stdin="a long enough secret\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    row = await Account.select().where(Account.email == "rina@imigrasi.test").first()
    assert (row["full_name"], row["nip"], row["position"]) == (
        "Rina Kartika Sari", "199002142014032001", "Kepala Seksi Izin Tinggal",
    )  # fmt: skip
    bad = tka(
        db, "users", "create", "--email", "x@imigrasi.test", "--role", "officer",
        "--nip", "199002142014033001", "--password-stdin", stdin="a long enough secret\n",
    )  # fmt: skip
    assert bad.returncode == 2 and "digit 15" in bad.stderr
