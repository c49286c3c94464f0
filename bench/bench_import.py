"""Speed and memory of ``import-workers`` and ``export-workers``: office workbooks (.xlsx) or
CSV files of 10,000 and 100,000 rows on SQLite and PostgreSQL.

Each run imports a generated office sheet (for .xlsx: a title row above the header, date cells
and text dates mixed; for CSV: semicolons, Windows-1252; both: Indonesian country names, spaced
passport numbers, a permit on every row) into an empty registry with the sheet's employers
registered, all or nothing, then exports the registry to .xlsx. Floors measured in the same run:
reading the same file bare (openpyxl read-only ``iter_rows(values_only=True)``, or ``csv.reader``)
for the import, and XlsxWriter writing the same rows bare (constant memory, ``write_row``, no
formats) for the export. Each step prints wall and CPU seconds: on a shared machine the CPU
seconds (this process's threads, plus the PostgreSQL backends' own from /proc) are the figures
other load does not inflate, and the ratios are taken on them. Memory is how far the process's peak resident size (getrusage) rose above
its size before the import; each import runs in a process of its own, so one run's peak does not
hide the next one's. Targets: 1,200 rows under 3 s; 100,000 rows imported under 60 s with a peak
that does not grow with the file (compare the 10,000-row peak), exported under 30 s.

    python bench/bench_import.py [--format xlsx|csv] [--rows 10000 100000]
        [--engines sqlite postgres] [--postgres postgresql://postgres@127.0.0.1:5432/test]

SQLite works in a temporary file; PostgreSQL in a throwaway database created beside the given
URL and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
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
import xlsxwriter
from openpyxl import load_workbook
from stdnum import luhn

from tka_registry.accounts.roles import Actor
from tka_registry.db import close_database, engine_for, migrate, open_database
from tka_registry.employers.schemas import EmployerIn
from tka_registry.employers.service import create_employer
from tka_registry.settings import DEFAULT_REGENCIES, load_settings
from tka_registry.spreadsheets.columns import normalise_row
from tka_registry.spreadsheets.service import export_pages, export_xlsx, import_workers
from tka_registry.spreadsheets.workbook import open_workers_file
from tka_registry.spreadsheets.writing import spoken_values
from tka_registry.workers.tables import Worker

TODAY = date(2026, 11, 22)
NOW = datetime.fromisoformat("2026-11-22T03:00:00+00:00")
TARGET_SECONDS = {1200: 3.0, 100_000: 60.0}
EXPORT_TARGET_SECONDS = {100_000: 30.0}
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


def sheet_row(n: int, chance: random.Random, typed: bool) -> list[object]:
    """Row ``n`` of the office sheet; ``typed``: date cells as dates (workbooks), else text."""
    name, sex, country = PEOPLE[n % len(PEOPLE)]
    employer = n % EMPLOYERS
    born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
    birth: object = born.strftime("%d/%m/%Y") if n % 2 else born.isoformat()
    issued: object = "02/01/2024"
    if typed:  # a workbook mixes date cells and dates typed as text, as the office's do
        birth, issued = born, date(2024, 1, 2)
    return [n, f"{name} {letters(n)}", sex, birth, chance.choice(PLACES), country,
            f"E {n // 10_000:04d} {n % 10_000:04d}", issued, "01/01/2034",
            f"PT Contoh Industri {employer}", npwp(employer), chance.choice(POSITIONS),
            f"Jl. Mayor Zen No. {n % 300}", "Kota Palembang", "KITAS", "E23C", f"2C{n:08d}",
            "1 Juni 2026", "31 Mei 2027"]  # fmt: skip


def write_sheet(path: Path, rows: int) -> None:
    """An office sheet of ``rows`` workers (.xlsx or .csv by the path), written row by row."""
    chance = random.Random(rows)
    if path.suffix == ".xlsx":
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("TKA 2026")
        day = book.add_format({"num_format": "dd/mm/yyyy"})
        sheet.write_string(0, 0, "DAFTAR TENAGA KERJA ASING - KANTOR IMIGRASI PALEMBANG")
        sheet.write_row(2, 0, HEADER.split(";"))
        for n in range(1, rows + 1):
            for column, value in enumerate(sheet_row(n, chance, typed=True)):
                if isinstance(value, date):
                    sheet.write_datetime(n + 2, column, value, day)
                else:
                    sheet.write(n + 2, column, value)
        book.close()
        return
    with path.open("w", encoding="cp1252", newline="\r\n") as text:
        text.write(HEADER + "\n")
        for n in range(1, rows + 1):
            text.write(";".join(str(value) for value in sheet_row(n, chance, typed=False)) + "\n")


class Timed:
    """Wall-clock and CPU seconds (this process, its threads included) of a ``with`` block:
    CPU time is what a busy shared machine does not inflate."""

    def __enter__(self) -> Timed:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def read_floor(path: Path) -> Timed:
    """The time to read every cell of the file bare: openpyxl read-only, or ``csv.reader``."""
    with Timed() as timed:
        _read_bare(path)
    return timed


def _read_bare(path: Path) -> None:
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        for _ in book.worksheets[0].iter_rows(values_only=True):
            pass
        book.close()
    else:
        with path.open(encoding="cp1252", newline="") as text:
            for _ in csv.reader(text, delimiter=";"):
                pass


def baseline(path: Path) -> Timed:
    """The time to read and normalise the file without a database."""
    with Timed() as timed, open_workers_file(path) as sheet:
        for raw in sheet:
            normalise_row(raw, DEFAULT_REGENCIES)
    return timed


def resident_bytes() -> int:
    """The process's resident size now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize()


async def export_once(folder: Path, rows: int) -> tuple[Timed, Timed]:
    """The time of ``export_xlsx`` of the registry, and of XlsxWriter writing the same rows
    bare (the floor): constant memory, ``write_row``, no formats."""
    with Timed() as exported, (folder / f"export-{rows}.xlsx").open("wb") as stream:
        written = await export_xlsx(stream)
    assert written == rows, written
    values = [spoken_values(row, "id") async for page in export_pages() for row in page]
    with Timed() as bare:
        book = xlsxwriter.Workbook(str(folder / f"bare-{rows}.xlsx"), {"constant_memory": True})
        sheet = book.add_worksheet()
        for number, row in enumerate(values):
            sheet.write_row(number, 0, row)
        book.close()
    return exported, bare


async def server_ticks(database_url: str) -> dict[int, int]:
    """CPU clock ticks spent so far by each PostgreSQL backend of the database (/proc, the
    server on this machine); empty for SQLite, whose work is in this process already."""
    if database_url.startswith("sqlite"):
        return {}
    connection = await asyncpg.connect(database_url)
    try:
        pids = await connection.fetch(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()
    ticks = {row["pid"]: _process_ticks(row["pid"]) for row in pids}
    return {pid: n for pid, n in ticks.items() if n is not None}


def _process_ticks(pid: int) -> int | None:
    """utime + stime of a process in clock ticks, None once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


async def import_once(database_url: str, path: Path, rows: int) -> list[float]:
    """Wall and CPU seconds of the import into an empty registry (CPU of this process), the
    PostgreSQL server's CPU seconds for it, the peak resident rise (bytes), then the export's
    wall and CPU seconds and its floor's."""
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
        before = await server_ticks(database_url)
        with Timed() as imported:
            report = await import_workers(
                Actor.system("bench"), str(path), settings=settings, today=TODAY, now=NOW
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - resident
        after = await server_ticks(database_url)
        server = sum(n - before.get(pid, 0) for pid, n in after.items()) / os.sysconf("SC_CLK_TCK")
        assert report.committed and report.counts["imported"] == rows, report.counts
        assert await Worker.count() == rows
        exported, bare = await export_once(path.parent, rows)
        return [imported.wall, imported.cpu, server, peak, exported.wall, exported.cpu, bare.wall,
                bare.cpu]  # fmt: skip
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
    """One import and export in a fresh database of ``engine``; answers the figures of
    :func:`import_once` separated by spaces."""
    if engine == "sqlite":
        url = f"sqlite:///{sheet.parent}/bench-{rows}.sqlite3"
        figures = await import_once(url, sheet, rows)
    else:
        name, url = await postgres_database(server_url)
        try:
            figures = await import_once(url, sheet, rows)
        finally:
            await drop_postgres_database(server_url, name)
    return " ".join(str(figure) for figure in figures)


def verdict(seconds: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"target < {target:.0f} s " + ("ok" if seconds < target else "SLOW")


def seconds(timed: Timed | tuple[float, float]) -> str:
    wall, cpu = (timed.wall, timed.cpu) if isinstance(timed, Timed) else timed
    return f"{wall:6.2f} s ({cpu:6.2f} s CPU)"


def run(row_counts: list[int], engines: list[str], server_url: str, file_format: str) -> int:
    failures = 0
    peaks: dict[str, list[tuple[int, float]]] = {engine: [] for engine in engines}
    with tempfile.TemporaryDirectory() as folder:
        for rows in row_counts:
            sheet = Path(folder) / f"sheet-{rows}.{file_format}"
            write_sheet(sheet, rows)
            floor, parse = read_floor(sheet), baseline(sheet)
            print(f"{rows:>7} rows: {file_format} {sheet.stat().st_size / 1e6:.1f} MB; read bare "
                  f"{seconds(floor)} = floor; read and normalise alone {seconds(parse)}, "
                  f"{parse.cpu / floor.cpu:.1f}x floor CPU", flush=True)  # fmt: skip
            for engine in engines:
                child = subprocess.run(
                    [sys.executable, __file__, "--one", engine, str(sheet), str(rows), server_url],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                if child.returncode:
                    raise SystemExit(f"{engine} {rows} rows failed:\n{child.stderr}")
                wall, cpu, server, peak, out_wall, out_cpu, bare_wall, bare_cpu = (
                    float(x) for x in child.stdout.split()[-8:]
                )
                peaks[engine].append((rows, peak))
                imported = verdict(wall, TARGET_SECONDS.get(rows))
                written = verdict(out_wall, EXPORT_TARGET_SECONDS.get(rows))
                failures += imported.endswith("SLOW") + written.endswith("SLOW")
                on_server = f" + {server:.2f} s server CPU" if engine == "postgres" else ""
                print(f"  {engine:<8} import {seconds((wall, cpu))}{on_server} {rows / wall:7,.0f}"
                      f" rows/s, {(cpu + server) / floor.cpu:4.1f}x floor CPU, peak RSS "
                      f"+{peak / 1e6:5.1f} MB  {imported}"
                      f"\n  {'':<8} export {seconds((out_wall, out_cpu))} {rows / out_wall:7,.0f}"
                      f" rows/s, {out_cpu / bare_cpu:4.1f}x XlsxWriter bare CPU "
                      f"({bare_wall:.2f} s, {bare_cpu:.2f} s CPU)  {written}", flush=True)  # fmt: skip
    for engine, measured in peaks.items():
        if len(measured) > 1:
            (small, low), (large, high) = measured[0], measured[-1]
            print(
                f"{engine}: peak RSS +{low / 1e6:.1f} MB at {small:,} rows, +{high / 1e6:.1f} MB"
                f" at {large:,} rows ({high / max(low, 1):.2f}x for {large / small:.0f}x rows)"
            )
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)  # a child: one import
    arguments = parser.parse_args()
    if arguments.one:
        engine, sheet, rows, server_url = arguments.one
        print(asyncio.run(import_into(engine, Path(sheet), int(rows), server_url)))
        return
    failures = run(arguments.rows, arguments.engines, arguments.postgres, arguments.format)
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
