"""Alert emails at scale on PostgreSQL, in a throwaway database created and dropped here.

1. Finding the due reminders among 1,000,000 permits: the registry's scan (Piccolo raw query plus
   Python rows) next to the bare SQL of the same query run through asyncpg, median of repeats;
   on an empty ledger (first run) and on the next day after that run (the daily steady state).
   Target: under 1 s.
2. 1,000 employer digests delivered to a local aiosmtpd through the real run (scan, ledger
   claims, compose, SMTP, marking sent, audit), next to bare Mailbox sending of the same digests.
   Target: at least 100 messages per second.

    python bench/bench_alerts.py [--permits 1000000] [--digests 1000] [--repeats 5]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from tka_registry.alerts.mailer import Mailbox, parse_smtp_url
from tka_registry.alerts.messages import MailContext, compose_employer_digest
from tka_registry.alerts.run import _digest, group, send_alerts
from tka_registry.alerts.scan import due_query, due_reminders
from tka_registry.db import close_database, engine_for, migrate, open_database
from tka_registry.settings import Settings

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
SCAN_TARGET_S = 1.0
RATE_TARGET = 100
SINK = "aiosmtpd.handlers.Sink"  # accepts and discards every message


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def numbered(sql: str, start: int = 1) -> str:
    """Piccolo's ``{}`` placeholders as asyncpg's ``$start, $start+1 ...``."""
    counter = iter(range(start, 10_000))
    return re.sub(r"\{\}", lambda _: f"${next(counter)}", sql)


async def generate(
    connection: asyncpg.Connection, permits: int, employers: int, spread: int, back: int = 400
) -> None:
    """``employers`` employers and ``permits`` workers, each with a passport and a current permit
    expiring between ``back`` days ago and ``spread - back`` days from TODAY."""
    await connection.execute(
        """
INSERT INTO employer (name, nib, npwp, address, regency, sector, email, phone, created_at, updated_at)
SELECT 'PT Bench ' || g, lpad(g::text, 13, '0'), lpad(g::text, 16, '0'), 'Jl. Bench', 'Kota Palembang',
       'industry', 'hrd' || g || '@bench' || g || '.test', '0711', now(), now()
FROM generate_series(1, $1) g""",
        employers,
    )
    await connection.execute(
        """
INSERT INTO worker (full_name, name_folded, sex, date_of_birth, place_of_birth, nationality, address,
                    regency, position, employer, current_permit_id, created_at, updated_at)
SELECT 'Worker ' || g, 'worker ' || g, 'M', DATE '1985-01-01', 'Wuhan',
       (ARRAY['CHN','IND','GBR','MYS','KOR','JPN'])[1 + g % 6], 'Jl. Bench', 'Kota Palembang',
       'Engineer', 1 + g % $2, g, now(), now()
FROM generate_series(1, $1) g""",
        permits,
        employers,
    )
    await connection.execute(
        """
INSERT INTO passport (worker, number, issuing_country, issued_on, expires_on, created_at)
SELECT g, 'E' || lpad(g::text, 9, '0'), 'CHN', DATE '2023-01-10', DATE '2033-01-09', now()
FROM generate_series(1, $1) g""",
        permits,
    )
    await connection.execute(
        """
INSERT INTO permit (worker, kind, visa_index, number, issued_on, expires_on, employer, is_current,
                    created_at)
SELECT g, 'ITAS', 'E23C', 'B' || lpad(g::text, 10, '0'),
       $2::date + ((g::bigint * 7919) % $3 - $5)::int - 365, $2::date + ((g::bigint * 7919) % $3 - $5)::int, 1 + g % $4,
       TRUE, now()
FROM generate_series(1, $1) g""",
        permits,
        TODAY,
        spread,
        employers,
        back,
    )
    await connection.execute("ANALYZE")


async def timed(repeats: int, work: Any) -> tuple[float, Any]:
    durations, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = await work()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), result


async def bench_scan(url: str, settings: Settings, repeats: int, label: str, day: date) -> None:
    connection = await asyncpg.connect(url)
    try:
        sql, arguments = due_query(settings, day, sqlite=False, tables={"application"})

        async def bare() -> list[Any]:
            async with connection.transaction():  # the same statements the registry runs
                await connection.execute("SET LOCAL jit = off")
                return await connection.fetch(numbered(sql), *arguments)

        bare_s, rows = await timed(repeats, bare)
    finally:
        await connection.close()
    scan_s, found = await timed(repeats, lambda: due_reminders(settings, day))
    assert len(found) == len(rows)
    print(
        f"scan {label}: {len(found)} due; registry {scan_s * 1000:.0f} ms, bare asyncpg "
        f"{bare_s * 1000:.0f} ms (ratio {scan_s / bare_s:.2f}x; target < {SCAN_TARGET_S:.0f} s: "
        f"{'met' if scan_s < SCAN_TARGET_S else 'MISSED'})"
    )


async def mark_all_sent(url: str, settings: Settings, day: date) -> None:
    """What a completed run on ``day`` leaves: a sent ledger row for every due reminder."""
    sql, arguments = due_query(settings, day, sqlite=False, tables={"application"})
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            f"""INSERT INTO alert_reminder (permit, stage, audience, employer, worker_id, due_on,
                state, attempts, recipients, created_at, updated_at)
            SELECT permit_id, stage, 'employer', employer_id, worker_id, $1::date, 'sent', 1, '',
                   now(), now() FROM ({numbered(sql, start=2)}) due""",
            day,
            *arguments,
        )
        await connection.execute("ANALYZE alert_reminder")
    finally:
        await connection.close()


async def bench_send(url: str, settings: Settings, digests: int) -> None:
    """``digests`` employers with 3 workers each, all at a stage today; send them for real."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "TRUNCATE alert_reminder, audit_entry, permit, passport, worker, employer"
            " RESTART IDENTITY CASCADE"
        )
        await generate(
            connection, digests * 3, digests, spread=31, back=0
        )  # all due within 30 days
    finally:
        await connection.close()
    port = free_port()
    # The SMTP server runs in its own process, as a real one would (not sharing our GIL).
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", SINK],
        stderr=subprocess.DEVNULL,
    )
    try:
        await wait_for_port(port)
        target = settings.with_overrides(smtp_url=f"smtp://127.0.0.1:{port}")
        # Baseline: the same digests composed and sent through one bare Mailbox, no database.
        context = MailContext.from_settings(target)
        groups = group(await due_reminders(target, TODAY))
        started = time.perf_counter()
        accepted = 0
        async with Mailbox(parse_smtp_url(target.smtp_url)) as mailbox:
            for entry in groups:
                digest = _digest(entry, entry.items, TODAY)
                accepted += (await mailbox.send(compose_employer_digest(digest, context))).delivered
        bare_s = time.perf_counter() - started
        started = time.perf_counter()
        report = await send_alerts(target, TODAY, NOW)
        run_s = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    rate, bare_rate = report.sent_messages / run_s, accepted / bare_s
    print(
        f"send: {report.sent_messages} messages ({report.sent_reminders} reminders, "
        f"{len(report.failures)} failed) in {run_s:.2f} s = {rate:.0f} messages/s; bare Mailbox "
        f"{bare_rate:.0f} messages/s (ratio {rate / bare_rate:.2f}x; target >= {RATE_TARGET}/s: "
        f"{'met' if rate >= RATE_TARGET else 'MISSED'})"
    )


async def wait_for_port(port: int) -> None:
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        return
    raise RuntimeError(f"aiosmtpd did not start on port {port}")


async def main(arguments: argparse.Namespace) -> None:
    name = f"tka_bench_alerts_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(arguments.postgres)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = arguments.postgres.rsplit("/", 1)[0] + f"/{name}"
    settings = Settings(database_url=url, secret_key="bench", office_email="kanim@bench.test")
    engine = engine_for(url)
    try:
        await open_database(engine)
        await migrate(engine)
        connection = await asyncpg.connect(url)
        started = time.perf_counter()
        await generate(connection, arguments.permits, 1000, spread=1800)
        await connection.close()
        print(f"generated {arguments.permits} permits in {time.perf_counter() - started:.1f} s")
        await bench_scan(url, settings, arguments.repeats, "first run, empty ledger", TODAY)
        await mark_all_sent(url, settings, TODAY)
        tomorrow = TODAY + timedelta(days=1)
        await bench_scan(url, settings, arguments.repeats, "next day, after a full run", tomorrow)
        await bench_send(url, settings, arguments.digests)
    finally:
        await close_database(engine)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--permits", type=int, default=1_000_000)
    parser.add_argument("--digests", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    asyncio.run(main(parser.parse_args()))
