"""Speed and memory of ``import-workers``: 1,200 and 100,000 rows on SQLite and PostgreSQL.

Each run imports a generated office sheet (semicolons, Windows-1252, Indonesian country names,
spaced passport numbers, mixed date forms, a permit on every row) into an empty registry with
the sheet's employers registered, all or nothing. The baseline is reading and normalising the
same file without a database, measured in the same run; memory is how far the process's
peak resident size (getrusage) rose above its size before the import. Each import runs in a
process of its own, so one run's peak does not hide the next one's. Targets: 1,200 rows under 3 s; 100,000 rows under
60 s with a peak that does not grow with the file.

    python bench/bench_import.py [--rows 1200 100000] [--engines sqlite postgres]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]

SQLite works in a temporary file; PostgreSQL in a throwaway database created beside the given
URL and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

import asyncpg
from stdnum import luhn

from tka_registry.accounts.roles import Actor
from tka_registry.db import close_database, engine_for, migrate, open_database
from tka_registry.employers.schemas import EmployerIn
from tka_registry.employers.service import create_employer
from tka_registry.settings import DEFAULT_REGENCIES, load_settings
from tka_registry.spreadsheets.columns import normalise_row
from tka_registry.spreadsheets.reading import open_workers_csv
from tka_registry.spreadsheets.service import import_workers
from tka_registry.workers.tables import Worker

TODAY = date(2026, 11, 22)
NOW = datetime.fromisoformat("2026-11-22T03:00:00+00:00")
TARGET_SECONDS = {1200: 3.0, 100_000: 60.0}
HEADER = (
    "No;NAMA;JK;TGL LAHIR;TEMPAT LAHIR;KEWARGANEGARAAN;NO. PASPOR;TGL TERBIT PASPOR;"
    "MASA BERLAKU PASPOR;PERUSAHAAN;NPWP PERUSAHAAN;JABATAN;ALAMAT;KAB/KOTA;JENIS IZIN;"
    "INDEKS VISA;NO. ITAS;TGL TERBIT;BERLAKU S.D."
)
PEOPLE = (("ZHANG WEI", "L", "Tiongkok"), ("Li Na", "P", "RRT"), ("KIM MIN-JUN", "L",
          "Korea Selatan"), ("Siobhán O'Brien", "P", "Inggris"), ("Rajesh Kumar", "L", "India"),
          ("Tanaka Hiroshi", "L", "Jepang"), ("Nurul Aisyah", "P", "Malaysia"))  # fmt: skip
PLACES = ("Wuhan", "Seoul", "Dublin", "Chennai", "Osaka", "Kuala Lumpur")
POSITIONS = ("Process Engineer", "Plant Manager", "Lecturer", "Technician", "HSE Advisor")
EMPLOYERS = 20


def npwp(serial: int) -> str:
    """A valid 15-digit NPWP (Luhn check digit on the first nine digits)."""
    body = f"{10_000_000 + serial:08d}"
    return f"{body}{luhn.calc_check_digit(body)}091000"


def letters(n: int) -> str:
    """``n`` spelt in letters (names hold no digits): 0 -> A, 27 -> Bb."""
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word = chr(ord("a") + digit) + word
        if n == 0:
            return word.capitalize()


def write_sheet(path: Path, rows: int) -> None:
    """An office sheet of ``rows`` workers, written line by line."""
    chance = random.Random(rows)
    with path.open("w", encoding="cp1252", newline="\r\n") as sheet:
        sheet.write(HEADER + "\n")
        for n in range(1, rows + 1):
            name, sex, country = PEOPLE[n % len(PEOPLE)]
            employer = n % EMPLOYERS
            born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
            birth = born.strftime("%d/%m/%Y") if n % 2 else born.isoformat()
            passport = f"E {n // 10_000:04d} {n % 10_000:04d}"
            sheet.write(
                f"{n};{name} {letters(n)};{sex};{birth};{chance.choice(PLACES)};{country};{passport};"
                f"02/01/2024;01/01/2034;PT Contoh Industri {employer};{npwp(employer)};"
                f"{chance.choice(POSITIONS)};Jl. Mayor Zen No. {n % 300};Kota Palembang;KITAS;"
                f"E23C;2C{n:08d};1 Juni 2026;31 Mei 2027\n"
            )


def baseline(path: Path) -> float:
    """Seconds to read and normalise the file without a database."""
    started = time.perf_counter()
    with open_workers_csv(path) as sheet:
        for raw in sheet:
            normalise_row(raw, DEFAULT_REGENCIES)
    return time.perf_counter() - started


def resident_bytes() -> int:
    """The process's resident size now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize()


async def import_once(database_url: str, path: Path, rows: int) -> tuple[float, int]:
    """Seconds of the import into an empty registry, and the peak of Python allocations."""
    settings = load_settings(environ={}, database_url=database_url, secret_key="bench")
    engine = engine_for(database_url)
    await open_database(engine, pool_size=2)
    try:
        await migrate(engine)
        for serial in range(EMPLOYERS):
            body = EmployerIn(
                name=f"PT Contoh Industri {serial}", nib=f"{9_120_000_000_000 + serial}",
                npwp=npwp(serial), address="Jl. Mayor Zen 1", regency="Kota Palembang",
                sector="industry",
            )  # fmt: skip
            await create_employer(Actor.system("bench"), body, settings=settings, now=NOW)
        resident = resident_bytes()
        started = time.perf_counter()
        report = await import_workers(
            Actor.system("bench"), str(path), settings=settings, today=TODAY, now=NOW
        )
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - resident
        assert report.committed and report.counts["imported"] == rows, report.counts
        assert await Worker.count() == rows
        return elapsed, peak
    finally:
        await close_database(engine)


async def postgres_database(server_url: str) -> tuple[str, str]:
    name = f"tka_bench_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(server_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name, server_url.rsplit("/", 1)[0] + f"/{name}"


async def drop_postgres_database(server_url: str, name: str) -> None:
    connection = await asyncpg.connect(server_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def import_into(engine: str, sheet: Path, rows: int, server_url: str) -> str:
    """One import into a fresh database of ``engine``; answers "seconds peak_bytes"."""
    if engine == "sqlite":
        url = f"sqlite:///{sheet.parent}/bench-{rows}.sqlite3"
        seconds, peak = await import_once(url, sheet, rows)
    else:
        name, url = await postgres_database(server_url)
        try:
            seconds, peak = await import_once(url, sheet, rows)
        finally:
            await drop_postgres_database(server_url, name)
    return f"{seconds} {peak}"


def run(row_counts: list[int], engines: list[str], server_url: str) -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for rows in row_counts:
            sheet = Path(folder) / f"sheet-{rows}.csv"
            write_sheet(sheet, rows)
            parse = baseline(sheet)
            print(f"{rows:>7} rows: file {sheet.stat().st_size / 1e6:.1f} MB; read and normalise "
                  f"alone {parse:.2f} s ({rows / parse:,.0f} rows/s) = baseline")  # fmt: skip
            for engine in engines:
                child = subprocess.run(
                    [sys.executable, __file__, "--one", engine, str(sheet), str(rows), server_url],
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                seconds, peak = (float(part) for part in child.stdout.split()[-2:])
                target = TARGET_SECONDS.get(rows)
                verdict = "" if target is None else ("ok" if seconds < target else "SLOW")
                failures += verdict == "SLOW"
                print(f"         {engine:<8} import {seconds:6.2f} s  {rows / seconds:8,.0f} rows/s  "
                      f"{seconds / parse:4.1f}x baseline  peak +{peak / 1e6:5.1f} MB  "
                      f"target < {target} s {verdict}", flush=True)  # fmt: skip
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1200, 100_000])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)  # a child: one import
    arguments = parser.parse_args()
    if arguments.one:
        engine, sheet, rows, server_url = arguments.one
        print(asyncio.run(import_into(engine, Path(sheet), int(rows), server_url)))
        return
    failures = run(arguments.rows, arguments.engines, arguments.postgres)
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
