"""Signing keys in the database: wrapped with TKA_SECRET_KEY, one current key for every process,
never a new key while documents signed by another exist (issue 16)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.conftest import NOW
from tests.system.serving import tka, tka_env
from tka_registry.documents import keys, signing
from tka_registry.documents.tables import SigningKey, StoredDocument
from tka_registry.settings import Settings


def test_wrapped_key_opens_only_with_the_same_secret() -> None:
    key = Ed25519PrivateKey.generate()
    kid = keys.key_id(key.public_key())
    wrapped = keys.wrap_private_key(key, "secret one", kid)
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    assert raw.hex() not in wrapped and wrapped.startswith("v1.")
    opened = keys.unwrap_private_key(wrapped, "secret one", kid)
    assert signing.public_key_pem(opened) == signing.public_key_pem(key)
    with pytest.raises(keys.SigningKeyRefused, match="TKA_SECRET_KEY"):
        keys.unwrap_private_key(wrapped, "secret two", kid)
    other_kid = keys.key_id(Ed25519PrivateKey.generate().public_key())
    with pytest.raises(keys.SigningKeyRefused):  # the kid is sealed with the key
        keys.unwrap_private_key(wrapped, "secret one", other_kid)


def test_key_id_is_short_and_stable() -> None:
    key = Ed25519PrivateKey.generate()
    kid = keys.key_id(key.public_key())
    assert len(kid) == 16 and kid.isalnum() and kid == kid.lower()
    assert keys.key_id(signing.load_public_key(signing.public_key_pem(key))) == kid


async def test_every_host_signs_with_the_one_key(
    db: str, settings: Settings, tmp_path: Path
) -> None:
    other_host = settings.with_overrides(data_dir=tmp_path / "other-host")
    first, second = await asyncio.gather(
        keys.current_signing_key(settings, now=NOW),
        keys.current_signing_key(other_host, now=NOW),
    )
    assert first.kid == second.kid
    assert await SigningKey.count() == 1
    (row,) = await SigningKey.select()
    assert row["retired_on"] is None and row["valid_from"] == NOW
    assert "PRIVATE" not in row["wrapped_private_key"]
    assert [key.kid for key in await keys.published_keys()] == [first.kid]
    assert (await keys.public_key_for(first.kid)) is not None
    assert await keys.public_key_for("unknown") is None
    assert not (settings.data_dir / keys.KEYS_FOLDER).exists()  # nothing on disk


async def test_another_secret_key_is_refused(db: str, settings: Settings) -> None:
    kid = await keys.ensure_signing_key(settings, now=NOW)
    with pytest.raises(keys.SigningKeyRefused, match=f"{kid}.*same TKA_SECRET_KEY"):
        await keys.ensure_signing_key(settings.with_overrides(secret_key="another"), now=NOW)


async def _signed_document_without_key() -> None:
    await StoredDocument.insert(
        StoredDocument(
            kind="permit",
            language="id",
            template_version="documents-3",
            sha256="0" * 64,
            size_bytes=1,
            path="documents/00/0.pdf",
            is_current=True,
            created_at=NOW,
        )
    )


async def test_no_new_key_while_signed_documents_exist(db: str, settings: Settings) -> None:
    await _signed_document_without_key()
    with pytest.raises(keys.SigningKeyRefused, match="1 permit document"):
        await keys.current_signing_key(settings, now=NOW)
    assert await SigningKey.count() == 0


async def test_serve_refuses_to_start_and_says_why(db: str, tmp_path: Path) -> None:
    await _signed_document_without_key()
    result = tka(tka_env(db, tmp_path / "data"), "serve", "--port", "9")
    assert result.returncode == 2
    assert "not starting" in result.stderr and "signed by a key it does not hold" in result.stderr
    assert "tka-registry migrate" in result.stderr
    assert await SigningKey.count() == 0


def _old_key_file(data_dir: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    folder = data_dir / keys.KEYS_FOLDER
    folder.mkdir(parents=True)
    key_file = folder / signing.KEY_FILE_NAME
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    return key


async def test_migrate_brings_the_old_key_file_in_once(db: str, tmp_path: Path) -> None:
    await _signed_document_without_key()
    old = _old_key_file(tmp_path / "data")
    env = tka_env(db, tmp_path / "data")
    first = tka(env, "migrate")
    assert first.returncode == 0, first.stderr
    kid = keys.key_id(old.public_key())
    assert f"imported signing key {kid}" in first.stdout
    again = tka(env, "migrate")
    assert again.returncode == 0 and "imported" not in again.stdout
    (row,) = await SigningKey.select()
    assert row["kid"] == kid and row["retired_on"] is None


async def test_a_second_hosts_old_key_still_verifies(
    db: str, settings: Settings, tmp_path: Path
) -> None:
    """A host that made its own key before issue 16: its key joins as retired, still verifying."""
    current = await keys.current_signing_key(settings, now=NOW)
    old_host = settings.with_overrides(data_dir=tmp_path / "old-host")
    old = _old_key_file(old_host.data_dir)
    kid = await keys.import_key_file(old_host, now=NOW)
    assert kid == keys.key_id(old.public_key()) and kid != current.kid
    assert await keys.import_key_file(old_host, now=NOW) is None
    published = {key.kid: key for key in await keys.published_keys()}
    assert published[kid].retired_on == NOW and published[current.kid].retired_on is None
    assert (await keys.current_signing_key(settings)).kid == current.kid
    statement = signing.PermitStatement("2C21JD0123-AB", "ZW", "CHN", NOW.date())
    token = signing.sign_permit(old, statement)
    assert signing.verify_token(published[kid].public_key, token) == statement
