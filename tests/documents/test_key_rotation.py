"""Tokens name their key; keys rotate and stay published; the signed status list (issue 20)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from httpx import AsyncClient

from tests.documents.http import decode_qr, sponsor_with_permit
from tests.factories import signed_in
from tka_registry.documents import keys, signing
from tka_registry.documents.status_list import decoded_bits, is_set
from tka_registry.settings import Settings


def _office_key(private: Ed25519PrivateKey, valid_from: datetime, retired_on=None):
    return keys.OfficeKey(
        kid=keys.key_id(private.public_key()),
        public_key=private.public_key(),
        valid_from=valid_from,
        retired_on=retired_on,
    )


def _token(private: Ed25519PrivateKey, kid: str, signed_at: datetime) -> str:
    statement = signing.permit_statement(
        "2C21JD0123-AB", "Zhang Wei", "CHN", date(2027, 5, 31),
        kid=kid, signed_at=int(signed_at.timestamp()), valid_from=date(2026, 6, 1),
        status_index=7,
    )  # fmt: skip
    return signing.sign_permit(private, statement)


def test_a_token_is_trusted_only_from_its_named_key_while_in_use() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    retired = datetime(2026, 6, 1, tzinfo=UTC)
    old_private, new_private = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    old = _office_key(old_private, start, retired)
    new = _office_key(new_private, retired)
    published = {old.kid: old, new.kid: new}

    before = _token(old_private, old.kid, retired - timedelta(days=30))
    statement = keys.trusted_statement(before, published)
    assert statement is not None and statement.kid == old.kid
    assert (statement.holder_mask, statement.status_index) == ("Z5W3", 7)
    assert statement.valid_from == date(2026, 6, 1)
    assert keys.trusted_statement(_token(new_private, new.kid, retired), published) is not None
    # Signed by the retired key after its retirement: invalid.
    assert (
        keys.trusted_statement(_token(old_private, old.kid, retired + timedelta(days=1)), published)
        is None
    )
    # A kid nobody published, and a kid forged onto another key's signature.
    stranger = Ed25519PrivateKey.generate()
    assert (
        keys.trusted_statement(
            _token(stranger, keys.key_id(stranger.public_key()), retired), published
        )
        is None
    )
    assert keys.trusted_statement(_token(stranger, new.kid, retired), published) is None
    assert keys.trusted_statement(_token(old_private, new.kid, retired), published) is None
    # Signed before the key existed.
    assert keys.trusted_statement(_token(new_private, new.kid, start), published) is None
    # Tokens from before keys were named still verify with any published key.
    legacy = signing.sign_permit(
        old_private,
        signing.permit_statement("2C21JD0123-AB", "Zhang Wei", "CHN", date(2027, 5, 31)),
    )
    assert keys.trusted_statement(legacy, published) is not None
    for garbage in ("", "x", "a.b", "%%%", "é.é", None, 5, "A" * 600, before + "A"):
        assert keys.trusted_statement(garbage, published) is None


async def test_rotation_keeps_old_documents_valid_and_publishes_every_key(
    client: AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    officer = await signed_in(client, "officer")
    _, first, _ = await sponsor_with_permit(client, officer, 0)
    old_pdf = (await client.get(f"/api/v1/permits/{first['id']}/document", headers=officer)).content
    old_token = decode_qr(old_pdf, tmp_path)[0].rsplit("/", 1)[1]
    old_kid = signing.token_kid(old_token)
    assert old_kid is not None

    retired_kid, new_kid = await keys.rotate_signing_key(settings)
    assert retired_kid == old_kid != new_kid
    _, second, _ = await sponsor_with_permit(client, officer, 1)
    new_pdf = (
        await client.get(f"/api/v1/permits/{second['id']}/document", headers=officer)
    ).content
    (tmp_path / "new").mkdir()
    new_token = decode_qr(new_pdf, tmp_path / "new")[0].rsplit("/", 1)[1]
    assert signing.token_kid(new_token) == new_kid

    for token in (old_token, new_token):
        answer = (await client.get(f"/api/v1/verify/{token}")).json()
        assert answer["outcome"] == "valid", answer
    published = (await client.get("/verify/keys")).json()["keys"]
    by_kid = {key["kid"]: key for key in published}
    assert set(by_kid) == {old_kid, new_kid}
    assert by_kid[old_kid]["retired_on"] is not None and by_kid[new_kid]["retired_on"] is None
    assert by_kid[new_kid]["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    assert len(base64.urlsafe_b64decode(by_kid[new_kid]["public_key_raw"] + "=")) == 32


async def test_status_list_is_signed_compact_and_marks_revoked_permits(
    client: AsyncClient,
) -> None:
    officer = await signed_in(client, "officer")
    _, kept, _ = await sponsor_with_permit(client, officer, 0)
    _, revoked, _ = await sponsor_with_permit(client, officer, 1)
    cancelled = await client.patch(
        f"/api/v1/permits/{revoked['id']}",
        json={"revoked_on": "2026-11-20", "revocation_reason": "Penjamin mencabut jaminan"},
        headers=officer,
    )
    assert cancelled.status_code == 200, cancelled.text
    response = await client.get("/verify/status")
    assert response.status_code == 200 and len(response.content) < 2000  # phone-sized
    answer = response.json()
    payload_text, signature_text = answer["status_list"].split(".")
    payload = base64.urlsafe_b64decode(payload_text + "=" * (-len(payload_text) % 4))
    signature = base64.urlsafe_b64decode(signature_text + "=" * (-len(signature_text) % 4))
    key = await keys.public_key_for(answer["kid"])
    assert key is not None
    key.public_key.verify(signature, payload)  # raises when not genuine
    listed = json.loads(payload)
    assert listed["type"] == "BitstringStatusList" and listed["kid"] == answer["kid"]
    assert listed["as_of"] == "2026-11-22" and listed["length"] >= 131_072
    bits = decoded_bits(listed["encoded_list"])
    assert len(bits) * 8 == listed["length"]
    assert is_set(bits, revoked["id"]) and not is_set(bits, kept["id"])
    assert sum(bin(byte).count("1") for byte in bits) == 1
