"""Backup files sealed with a passphrase (``TKA_BACKUP_PASSPHRASE``): scrypt derives a key,
AES-256-GCM seals the file in 1 MiB chunks, each numbered and the last one marked, so a
reordered, cut or altered file is refused rather than restored."""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"TKA-BACKUP-SEALED-1\n"
CHUNK_BYTES = 1024 * 1024
_SALT_BYTES = 16
_PREFIX_BYTES = 8


class SealError(ValueError):
    """The sealed file cannot be opened: wrong passphrase, or altered or cut."""


def _key(passphrase: str, salt: bytes) -> AESGCM:
    derived = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))
    return AESGCM(derived)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(index: int, last: bool) -> bytes:
    return struct.pack(">I?", index, last)


def is_sealed(path: Path) -> bool:
    with path.open("rb") as source:
        return source.read(len(MAGIC)) == MAGIC


def seal(source: Path, target: Path, passphrase: str) -> None:
    """Write ``source`` to ``target`` sealed with ``passphrase``."""
    salt, prefix = os.urandom(_SALT_BYTES), os.urandom(_PREFIX_BYTES)
    aead = _key(passphrase, salt)
    with source.open("rb") as plain, target.open("wb") as out:
        out.write(MAGIC + salt + prefix)
        index, chunk = 0, plain.read(CHUNK_BYTES)
        while True:
            following = plain.read(CHUNK_BYTES)
            last = not following
            sealed = aead.encrypt(_nonce(prefix, index), chunk, _aad(index, last))
            out.write(struct.pack(">I", len(sealed)) + sealed)
            if last:
                break
            index, chunk = index + 1, following


def _read_exact(source: BinaryIO, size: int) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise SealError("the sealed backup is cut short")
    return data


def unseal(source: Path, target: Path, passphrase: str) -> None:
    """Write the plain contents of the sealed ``source`` to ``target``; raises SealError."""
    with source.open("rb") as sealed, target.open("wb") as out:
        if sealed.read(len(MAGIC)) != MAGIC:
            raise SealError("not a sealed backup")
        salt = _read_exact(sealed, _SALT_BYTES)
        prefix = _read_exact(sealed, _PREFIX_BYTES)
        aead = _key(passphrase, salt)
        index = 0
        while True:
            (size,) = struct.unpack(">I", _read_exact(sealed, 4))
            chunk = _read_exact(sealed, size)
            last = not sealed.peek(1)
            try:
                out.write(aead.decrypt(_nonce(prefix, index), chunk, _aad(index, last)))
            except InvalidTag:
                raise SealError(
                    "the backup does not open with TKA_BACKUP_PASSPHRASE (a wrong passphrase,"
                    " or the file was altered or cut)"
                ) from None
            if last:
                return
            index += 1
