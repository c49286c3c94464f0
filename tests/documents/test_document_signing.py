"""Signed verification tokens: round trip, tampering at every position, key file handling."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tka_registry.documents import signing

STATEMENT = signing.PermitStatement("2C21JD0123-AB", "ZW", "CHN", date(2027, 1, 5))


def test_round_trip_returns_the_signed_statement(signing_key: Ed25519PrivateKey) -> None:
    token = signing.sign_permit(signing_key, STATEMENT)
    assert signing.verify_token(signing_key.public_key(), token) == STATEMENT
    assert len(token) < 200
    assert set(token) <= set(string.ascii_letters + string.digits + "-_.")


def test_payload_is_the_compact_statement(signing_key: Ed25519PrivateKey) -> None:
    token = signing.sign_permit(signing_key, STATEMENT)
    payload = signing._b64decode(token.split(".")[0])
    assert payload == b"1|2C21JD0123-AB|ZW|CHN|2027-01-05"


def test_every_single_character_change_is_rejected(signing_key: Ed25519PrivateKey) -> None:
    token = signing.sign_permit(signing_key, STATEMENT)
    public = signing_key.public_key()
    replacements = [chr(code) for code in range(32, 127)] + ["é", "\x00", "\n"]
    accepted = []
    for position, original in enumerate(token):
        for replacement in replacements:
            if replacement == original:
                continue
            tampered = token[:position] + replacement + token[position + 1 :]
            if signing.verify_token(public, tampered) is not None:
                accepted.append((position, replacement))
    assert accepted == []


def test_removed_or_added_characters_are_rejected(signing_key: Ed25519PrivateKey) -> None:
    token = signing.sign_permit(signing_key, STATEMENT)
    public = signing_key.public_key()
    for position in range(len(token)):
        assert signing.verify_token(public, token[:position] + token[position + 1 :]) is None
        assert signing.verify_token(public, token[:position] + "A" + token[position:]) is None
    assert signing.verify_token(public, token + "=") is None
    assert signing.verify_token(public, token + "==") is None


@pytest.mark.parametrize(
    "garbage",
    ["", ".", "..", "a.b", "a", "x" * 10_000, "ab.cd.ef", "====.====", None, 42, b"a.b", "é.é"],
)
def test_malformed_tokens_answer_none(signing_key: Ed25519PrivateKey, garbage: object) -> None:
    assert signing.verify_token(signing_key.public_key(), garbage) is None


def test_token_from_another_key_is_rejected(signing_key: Ed25519PrivateKey) -> None:
    forged = signing.sign_permit(Ed25519PrivateKey.generate(), STATEMENT)
    assert signing.verify_token(signing_key.public_key(), forged) is None


def test_swapped_signature_is_rejected(signing_key: Ed25519PrivateKey) -> None:
    other = signing.PermitStatement("2C21JD0124-AB", "ZW", "CHN", date(2027, 1, 5))
    payload = signing.sign_permit(signing_key, STATEMENT).split(".")[0]
    signature = signing.sign_permit(signing_key, other).split(".")[1]
    assert signing.verify_token(signing_key.public_key(), f"{payload}.{signature}") is None


def test_signed_but_malformed_payload_is_rejected(signing_key: Ed25519PrivateKey) -> None:
    # A genuine signature over bytes that are not a statement must still answer None.
    for payload in (b"2|X|ZW|CHN|2027-01-05", b"1|X|ZW|CHN|2027-02-30", b"1|X|ZW|CHN", b"\xff"):
        token = f"{signing._b64encode(payload)}.{signing._b64encode(signing_key.sign(payload))}"
        assert signing.verify_token(signing_key.public_key(), token) is None


def test_statement_that_cannot_be_encoded_is_refused(signing_key: Ed25519PrivateKey) -> None:
    with pytest.raises(ValueError):
        signing.sign_permit(signing_key, signing.PermitStatement("A|B", "ZW", "CHN", date.today()))
    with pytest.raises(ValueError):
        signing.sign_permit(signing_key, signing.PermitStatement("", "ZW", "CHN", date.today()))


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("ZHANG WEI", "ZW"),
        ("zhang wei", "ZW"),
        ("Jean-Luc Picard", "JLP"),
        ("Şükrü Özdemir", "SO"),
        ("  ", "X"),
        ("A B C D E F G H I J", "ABCDEFGH"),
    ],
)
def test_holder_initials(name: str, initials: str) -> None:
    assert signing.holder_initials(name) == initials


def test_permit_statement_normalises_fields() -> None:
    statement = signing.permit_statement(" 2c21jd0123-ab ", "Zhang Wei", "chn", date(2027, 1, 5))
    assert statement == STATEMENT


def _key_file(folder: Path, mode: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / signing.KEY_FILE_NAME
    key_file.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(mode)
    return key_file


def test_key_file_of_an_older_installation_is_read(tmp_path: Path) -> None:
    key_file = _key_file(tmp_path, 0o600)
    key = signing.load_signing_key_file(key_file)
    assert signing.public_key_pem(key).startswith("-----BEGIN PUBLIC KEY-----")


def test_readable_key_file_is_refused(tmp_path: Path) -> None:
    key_file = _key_file(tmp_path, 0o644)
    with pytest.raises(signing.InsecureKeyFile):
        signing.load_signing_key_file(key_file)


def test_published_public_key_verifies_offline(signing_key: Ed25519PrivateKey) -> None:
    pem = signing.public_key_pem(signing_key)
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert signing.public_key_pem(signing_key.public_key()) == pem
    token = signing.sign_permit(signing_key, STATEMENT)
    assert signing.verify_token(signing.load_public_key(pem), token) == STATEMENT


def test_verify_url_joins_base_and_token() -> None:
    assert signing.verify_url("https://x.go.id/", "abc.def") == "https://x.go.id/verify/abc.def"
