"""Worker search on 1,000,000 workers: HTTP next to the bare SQL it runs, in one run.

    python bench/bench_search.py                          # PostgreSQL, 1,000,000 workers
    python bench/bench_search.py --engine sqlite --workers 1000000
    python bench/bench_search.py --workers 100000 --rounds 40

Fills a throwaway database (PostgreSQL: INSERT ... SELECT generate_series, the generator of
bench_intelligence with names from 100 given and 100 family names; SQLite: the same rows from
a recursive CTE). The search index is filled by the triggers as the rows go in, so the
generation time includes keeping the index. Then starts ``tka-registry serve`` and measures
``GET /api/v1/workers?q=...`` for a name in the other order, a passport typed with a space and a
hyphen, a permit number and an employer, each next to the exact statements the endpoint runs
(captured from the app's query code) through the bare driver, and next to a plain LIKE scan
over the worker names (what the list did before the index) as the floor to beat.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from bench_intelligence import generator_statements  # noqa: E402
from bench_workers import captured, free_port, summary, timings, tka  # noqa: E402

from tka_registry.workers import queries  # noqa: E402

POSTGRES = os.environ.get("TKA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "bench password 1"  # noqa: S105 (a throwaway database)
GIVEN = (
    "wei jun ming hui li yan jie tao hao lei kenji yuki taro hana akira sora min ji seo hyun"
    " arjun priya ravi anil sunita ahmad siti nur aisyah faiz john james david sarah emma"
    " somchai nattapong ploy chai wan mei ling yi xin jing bo chen fang gang hong jia kai lan"
    " long na ping qiang rui shan ting wen xia yu zhen hiroshi takeshi naoko emi jiwoo minho"
    " raj vikram deepa kavya lee ali omar fatima hassan noor tom peter paul mary anna lucas"
    " leo mia ivan olga nikolai maria jose carlos ana luis pedro sofia elena marco"
).split()
FAMILY = (
    "zhang wang li liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo"
    " sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato kim park choi"
    " jung kang cho yoon jang lim han sharma singh kumar patel gupta reddy iyer nair das rao"
    " tan lim ng ong goh abdullah rahman hassan ismail yusof smith jones brown taylor wilson"
    " davies evans thomas johnson roberts nguyen tran le pham hoang dubois martin bernard"
    " muller schmidt schneider fischer weber rossi russo ferrari garcia lopez perez gonzalez"
    " sanchez silva santos costa petrov ivanov novak horvat kowalski lindqvist"
).split()[:100]


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{value}'" for value in values) + "]"


def postgres_statements(workers: int, employers: int, today: date) -> list[str]:
    name = (
        f"initcap(({_array(GIVEN)})[1 + (g * 7) % {len(GIVEN)}] || ' '"
        f" || ({_array(FAMILY)})[1 + ((g / {len(GIVEN)}) * 13) % {len(FAMILY)}])"
    )
    statements = generator_statements(workers, employers, today)
    return [
        s.replace("'Worker ' || g, 'worker ' || g", f"{name}, lower({name})") for s in statements
    ]


def sqlite_generate(path: str, workers: int, employers: int, today: date) -> None:
    """The same rows as the PostgreSQL generator, through a recursive CTE."""
    connection = sqlite3.connect(path)
    series = "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n})"
    day = f"julianday('{today.isoformat()}')"
    expires = f"date({day} - 60 + ((g * 6007) % 700))"
    connection.execute("CREATE TEMP TABLE given (i INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("CREATE TEMP TABLE family (i INTEGER PRIMARY KEY, name TEXT)")
    connection.executemany("INSERT INTO given VALUES (?, ?)", list(enumerate(GIVEN)))
    connection.executemany("INSERT INTO family VALUES (?, ?)", list(enumerate(FAMILY)))
    steps = [
        (
            series.format(n=employers)
            + " INSERT INTO employer (id, name, nib, npwp, address, regency, sector, email,"
            " phone, created_at, updated_at) SELECT g, 'PT Bench ' || g, printf('%013d', g),"
            " printf('%016d', g), 'Jl. Bench', 'Kota Palembang', 'power', '', '',"
            " datetime('now'), datetime('now') FROM s"
        ),
        (
            series.format(n=workers)
            + " INSERT INTO worker (id, full_name, name_folded, sex, date_of_birth,"
            " place_of_birth, nationality, address, regency, position, employer,"
            " current_permit_id, permit_valid_until, created_at, updated_at)"
            " SELECT g, upper(substr(gn.name, 1, 1)) || substr(gn.name, 2) || ' '"
            " || upper(substr(fn.name, 1, 1)) || substr(fn.name, 2), gn.name || ' ' || fn.name,"
            " 'M', '1980-01-01', 'Place', 'CHN', 'Jl. Bench', 'Kota Palembang', 'Engineer',"
            f" 1 + (g * 31) % {employers}, g, {expires}, datetime('now'), datetime('now')"
            f" FROM s JOIN given gn ON gn.i = (g * 7) % {len(GIVEN)}"
            f" JOIN family fn ON fn.i = ((g / {len(GIVEN)}) * 13) % {len(FAMILY)}"
        ),
        (
            series.format(n=workers)
            + " INSERT INTO passport (id, worker, number, issuing_country, issued_on, expires_on,"
            " created_at) SELECT g, g, 'P' || g, 'CHN', '2023-01-01', '2033-01-01',"
            " datetime('now') FROM s"
        ),
        (
            series.format(n=workers)
            + " INSERT INTO permit (id, worker, kind, visa_index, number, issued_on, expires_on,"
            " employer, supersedes, is_current, revoked_on, revocation_reason, register_number,"
            f" created_at) SELECT g, g, 'ITAS', 'E23C', 'ITAS' || g, date({expires}, '-365 day'),"
            f" {expires}, 1 + (g * 31) % {employers}, NULL, 1, NULL, NULL, NULL,"
            " datetime('now') FROM s"
        ),
        ("ANALYZE"),
    ]
    for statement in steps:
        started = time.perf_counter()
        connection.execute(statement)
        connection.commit()
        label = " ".join(statement.split("INSERT", 1)[-1].split()[:2])
        print(f"  INSERT {label:<30} {time.perf_counter() - started:6.1f} s")
    connection.close()


async def search_statements(url: str, q: str, today: date) -> list[tuple[str, list[Any]]]:
    """The statements ``GET /api/v1/workers?q=`` runs, compiled for the bare driver."""
    filters = queries.WorkerFilters(q=q)
    return await captured(
        url,
        lambda actor, settings: queries.list_workers(
            actor, filters, limit=50, offset=0, today=today, settings=settings
        ),
    )


async def bare_runner(url: str) -> tuple[Any, Any]:
    """run(statements) through aiosqlite or asyncpg, and its closer."""
    if url.startswith("sqlite"):
        import aiosqlite

        connection = await aiosqlite.connect(url.removeprefix("sqlite:///"))

        async def run_sqlite(statements: list[tuple[str, list[Any]]]) -> None:
            for sql, args in statements:
                async with connection.execute(sql, args) as cursor:
                    await cursor.fetchall()

        return run_sqlite, connection.close
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)

    async def run_postgres(statements: list[tuple[str, list[Any]]]) -> None:
        async with pool.acquire() as connection:
            for sql, args in statements:
                await connection.fetch(sql, *args)

    return run_postgres, pool.close


QUERIES = (
    ("name, other order", "zhang wei"),
    ("passport, spaced", "P 4242-42"),
    ("permit number", "ITAS777777"),
    ("employer", "PT Bench 317"),
)


def like_scan(url: str, q: str) -> list[tuple[str, list[Any]]]:
    """The list's old name filter: a LIKE over every folded name (no index can serve it)."""
    mark = "?" if url.startswith("sqlite") else "$1"
    return [
        (f"SELECT count(*) FROM worker w WHERE w.name_folded LIKE {mark}", [f"%{q.lower()}%"]),
    ]


async def wait_ready(http: httpx.AsyncClient, seconds: float = 600) -> None:
    """Until the server answers /health (start-up is slow on a loaded machine)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if (await http.get("/health")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError("server did not start")


async def measure(url: str, port: int, rounds: int, today: date) -> None:
    run, close = await bare_runner(url)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
        await wait_ready(http)
        token = (
            await http.post(
                "/api/v1/auth/token", json={"email": "officer@bench.test", "password": PASSWORD}
            )
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        try:
            for label, q in QUERIES:
                statements = await search_statements(url, q, today)
                total = (
                    await http.get("/api/v1/workers", params={"q": q}, headers=headers)
                ).json()["total"]
                print(f" {label}: q={q!r}, {total:,} workers match")

                async def over_http(q: str = q) -> None:
                    response = await http.get(
                        "/api/v1/workers", params={"q": q, "limit": 50}, headers=headers
                    )
                    response.raise_for_status()

                async def bare(statements: list[tuple[str, list[Any]]] = statements) -> None:
                    await run(statements)

                async def scan(q: str = q) -> None:
                    await run(like_scan(url, q))

                http_samples: list[float] = []
                bare_samples: list[float] = []
                for _ in range(5):  # interleaved, so both see the same machine load
                    http_samples += await timings(over_http, max(2, rounds // 5))
                    bare_samples += await timings(bare, max(2, rounds // 5))
                scan_samples = await timings(scan, 3)
                bare_median, _ = summary("bare SQL (count + page)", bare_samples)
                http_median, _ = summary("HTTP GET /api/v1/workers?q=", http_samples)
                scan_median, _ = summary("old LIKE scan of names (count)", scan_samples)
                print(
                    f"  ratio HTTP/bare {http_median / bare_median:.2f}x;"
                    f" LIKE scan/indexed bare {scan_median / bare_median:.1f}x"
                )
        finally:
            await close()


async def main(engine: str, workers: int, employers: int, rounds: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tka-bench-search-"))
    name = None
    if engine == "sqlite":
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    else:
        name = f"tka_bench_{uuid.uuid4().hex[:8]}"
        admin = await asyncpg.connect(POSTGRES)
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TKA_DATABASE_URL": url,
        "TKA_SECRET_KEY": "bench",
        "TKA_DATA_DIR": str(folder),
    }
    server = None
    today = date.today()
    try:
        print(f"{engine}: {workers:,} workers, {employers} employers")
        tka(env, "migrate")
        started = time.perf_counter()
        if engine == "sqlite":
            sqlite_generate(url.removeprefix("sqlite:///"), workers, employers, today)
        else:
            connection = await asyncpg.connect(url)
            for statement in postgres_statements(workers, employers, today):
                begun = time.perf_counter()
                await connection.execute(statement)
                label = " ".join(statement.split()[:3])
                print(f"  {label:<40} {time.perf_counter() - begun:6.1f} s")
            await connection.close()
        print(f"  generated, index kept by the triggers, in {time.perf_counter() - started:.1f} s")
        tka(
            env,
            *("users", "create", "--email", "officer@bench.test", "--role", "officer"),
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "tka_registry.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        await measure(url, port, rounds, today)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if name is not None:
            admin = await asyncpg.connect(POSTGRES)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--employers", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=50)
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    asyncio.run(main(options.engine, options.workers, options.employers, options.rounds))
