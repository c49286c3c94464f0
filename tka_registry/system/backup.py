"""``tka-registry backup FILE`` and ``restore FILE``: one file with a consistent snapshot of the
whole registry, stored files and wrapped signing keys included, that restores on either engine.

The file is a ZIP of ``manifest.json`` and one ``tables/<name>.jsonl`` per table (a JSON object
per row; dates, times, bytes and decimals tagged so they come back as they were), optionally
sealed with ``TKA_BACKUP_PASSPHRASE`` (system/sealing.py). Counts kept for a moment only (rate
limits) and uploads waiting for a confirmation are left out.
"""

from __future__ import annotations

import base64
import json
import tempfile
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine
from piccolo.querystring import QueryString

from tka_registry.db import (
    all_tables,
    consistent_snapshot,
    reset_id_sequences,
    table_names,
    write_transaction,
)
from tka_registry.documents.keys import unwrap_private_key
from tka_registry.system import sealing

FORMAT = "tka-registry-backup/1"
# Transient: rebuilt by use. ``migration`` is compared, not copied (restore migrates first).
LEFT_OUT = {"rate_limit", "pending_upload", "migration"}
# The search index (and SQLite FTS5's shadow tables) is derived: its triggers rebuild it as the
# restored rows go in.
DERIVED_PREFIX = "worker_search"


def _left_out(name: str) -> bool:
    return name in LEFT_OUT or name.startswith(DERIVED_PREFIX)


# Filled by the first migration; a restore replaces these rows with the backup's.
SEEDED = {"visa_index"}
BATCH_ROWS = 500
# Rows of stored files are up to TKA_UPLOAD_MAX_BYTES each: fewer at a time.
BLOB_BATCH_ROWS = 20


class RestoreRefused(RuntimeError):
    """The target cannot take the backup; nothing was changed."""


@dataclass(frozen=True)
class BackupSummary:
    rows: dict[str, int]
    migrations: list[str]
    sealed: bool


# --- values ----------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text),) = value.items()
        if tag == "$datetime":
            return datetime.fromisoformat(text)
        if tag == "$date":
            return date.fromisoformat(text)
        if tag == "$bytes":
            return base64.b64decode(text)
        if tag == "$decimal":
            return Decimal(text)
    return value


# --- taking a backup -------------------------------------------------------------------------


def _ordered(names: list[str]) -> list[str]:
    """Parents before children (the registry's own order), then any other table."""
    known = [table._meta.tablename for table in all_tables()]
    return [n for n in known if n in names] + sorted(n for n in names if n not in known)


def _batch_rows(table: str) -> int:
    return BLOB_BATCH_ROWS if table == "file_blob" else BATCH_ROWS


async def _rows(engine: Engine[Any], table: str) -> AsyncIterator[dict[str, Any]]:
    """Every row of ``table`` in id order, a batch at a time."""
    last, size = None, _batch_rows(table)
    while True:
        after = "" if last is None else "WHERE id > {} "
        query = f'SELECT * FROM "{table}" {after}ORDER BY id LIMIT {size}'  # noqa: S608
        rows = await engine.run_querystring(QueryString(query, *([] if last is None else [last])))
        for row in rows:
            yield dict(row)
        if len(rows) < size:
            return
        last = rows[-1]["id"]


async def write_backup(engine: Engine[Any], target: Path, passphrase: str = "") -> BackupSummary:
    """Write a consistent snapshot of the database to ``target`` (sealed with ``passphrase``
    when given); the registry may keep serving meanwhile."""
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="tka-backup-") as folder:
        plain = Path(folder) / "backup.zip"
        async with consistent_snapshot(engine) as snapshot:
            names = _ordered([n for n in await table_names(snapshot) if not _left_out(n)])
            ran = await snapshot.run_querystring(
                QueryString("SELECT name FROM migration ORDER BY name")
            )
            migrations = [row["name"] for row in ran]
            with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as archive:
                for name in names:
                    counts[name] = 0
                    with archive.open(f"tables/{name}.jsonl", "w", force_zip64=True) as out:
                        async for row in _rows(snapshot, name):
                            encoded = {key: _encode(value) for key, value in row.items()}
                            out.write(json.dumps(encoded, ensure_ascii=False).encode() + b"\n")
                            counts[name] += 1
                manifest = {
                    "format": FORMAT,
                    "engine": snapshot.engine_type,
                    "taken_at": datetime.now(UTC).isoformat(),
                    "migrations": migrations,
                    "tables": names,
                    "rows": counts,
                }
                archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        target.parent.mkdir(parents=True, exist_ok=True)
        draft = target.with_name(f".{target.name}.partial")
        if passphrase:
            sealing.seal(plain, draft, passphrase)
        else:
            draft.write_bytes(plain.read_bytes())
        draft.replace(target)  # a reader never sees half a backup
    return BackupSummary(rows=counts, migrations=migrations, sealed=bool(passphrase))


# --- restoring -------------------------------------------------------------------------------


def open_backup(source: Path, passphrase: str, folder: Path) -> zipfile.ZipFile:
    """The backup's ZIP, unsealed into ``folder`` first when sealed."""
    if sealing.is_sealed(source):
        if not passphrase:
            raise RestoreRefused("the backup is sealed: set TKA_BACKUP_PASSPHRASE")
        plain = folder / "backup.zip"
        try:
            sealing.unseal(source, plain, passphrase)
        except sealing.SealError as error:
            raise RestoreRefused(str(error)) from None
        source = plain
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise RestoreRefused(f"{source} is not a registry backup") from None
    return archive


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise RestoreRefused("the backup has no readable manifest.json") from None
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def check_keys_open(archive: zipfile.ZipFile, secret_key: str) -> None:
    """Raise :class:`SigningKeyRefused` unless every signing key of the backup opens with
    ``secret_key`` (the TKA_SECRET_KEY of the installation that took it)."""
    try:
        lines = archive.read("tables/signing_key.jsonl").splitlines()
    except KeyError:
        return
    for line in lines:
        row = json.loads(line)
        unwrap_private_key(row["wrapped_private_key"], secret_key, row["kid"])


async def rows_present(engine: Engine[Any], names: list[str]) -> dict[str, int]:
    """Tables (other than the seeded ones) that hold rows, with their counts."""
    present = {}
    for name in names:
        if name in SEEDED or _left_out(name):
            continue
        query = QueryString(f'SELECT COUNT(*) AS n FROM "{name}"')  # noqa: S608
        count = (await engine.run_querystring(query))[0]["n"]
        if count:
            present[name] = int(count)
    return present


async def _insert(engine: Engine[Any], table: str, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    names = ", ".join(f'"{column}"' for column in columns)
    one = "(" + ", ".join("{}" for _ in columns) + ")"
    values = [row[column] for row in rows for column in columns]
    query = f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join(one for _ in rows)  # noqa: S608
    await engine.run_querystring(QueryString(query, *values))


async def restore_backup(engine: Engine[Any], archive: zipfile.ZipFile) -> dict[str, int]:
    """Insert every row of the backup into the migrated, empty database of ``engine``.

    Raises :class:`RestoreRefused` (changing nothing) when the database holds records, or when
    the backup was taken with migrations this version does not know. Answers rows per table.
    """
    manifest = read_manifest(archive)
    present_tables = await table_names(engine)
    ran = await engine.run_querystring(QueryString("SELECT name FROM migration"))
    unknown = sorted(set(manifest["migrations"]) - {row["name"] for row in ran})
    if unknown:
        raise RestoreRefused(
            "the backup was taken by a newer version (migrations unknown here: "
            + ", ".join(unknown)
            + "): install that version first"
        )
    missing = [name for name in manifest["tables"] if name not in present_tables]
    if missing:
        raise RestoreRefused(f"tables of the backup missing here: {', '.join(missing)}")
    present = await rows_present(engine, present_tables)
    if present:
        listing = ", ".join(f"{name} ({count} rows)" for name, count in sorted(present.items()))
        raise RestoreRefused(f"restore goes into an empty database only; this one holds {listing}")
    restored: dict[str, int] = {}
    async with write_transaction(engine):
        for name in manifest["tables"]:
            if name in SEEDED:
                await engine.run_querystring(QueryString(f'DELETE FROM "{name}"'))  # noqa: S608
            restored[name] = 0
            batch: list[dict[str, Any]] = []
            with archive.open(f"tables/{name}.jsonl") as lines:
                for line in lines:
                    row = {key: _decode(value) for key, value in json.loads(line).items()}
                    batch.append(row)
                    if len(batch) == _batch_rows(name):
                        await _insert(engine, name, batch)
                        restored[name] += len(batch)
                        batch = []
            if batch:
                await _insert(engine, name, batch)
                restored[name] += len(batch)
        await reset_id_sequences(engine, list(manifest["tables"]))
    return restored
