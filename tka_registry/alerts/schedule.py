"""``serve`` sends the alerts daily at TKA_ALERTS_AT (HH:MM, Asia/Jakarta).

Several server processes may run the same schedule: each tries to insert the day's row into
``alert_run`` (UNIQUE run_on) and only the one whose insert lands sends. The ledger's claims would
keep a second sender from duplicating anything anyway; the run row keeps it from even trying.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from datetime import date, datetime, time, timedelta
from typing import Any

from tka_registry.alerts.ledger import run_name
from tka_registry.alerts.run import RunReport, send_alerts
from tka_registry.alerts.tables import AlertRun
from tka_registry.db import write_transaction
from tka_registry.rules.calendar import JAKARTA, jakarta_today, utc_now
from tka_registry.settings import Settings

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[Any]]


def parse_alerts_at(text: str) -> time | None:
    """``"07:30"`` as a time; None for an empty setting; ValueError for anything else."""
    if not text.strip():
        return None
    hours, separator, minutes = text.strip().partition(":")
    if not separator or not (hours.isdigit() and minutes.isdigit()) or len(minutes) != 2:
        raise ValueError(f"TKA_ALERTS_AT must be HH:MM (Asia/Jakarta), got {text!r}")
    return time(int(hours), int(minutes))


def next_run_at(now: datetime, at: time) -> datetime:
    """The next instant at ``at`` o'clock in Jakarta strictly after ``now``."""
    local = now.astimezone(JAKARTA)
    candidate = datetime.combine(local.date(), at, tzinfo=JAKARTA)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=JAKARTA)
    return candidate


async def claim_day(run_on: date, who: str, now: datetime) -> bool:
    """True for the one process whose claim of ``run_on`` landed first."""
    async with write_transaction(AlertRun._meta.db):
        rows = await AlertRun.raw(
            "INSERT INTO alert_run (run_on, claimed_by, started_at) VALUES ({}, {}, {})"
            " ON CONFLICT (run_on) DO NOTHING RETURNING id",
            run_on,
            who,
            now,
        )
    return bool(rows)


async def scheduled_run(settings: Settings, now: datetime) -> RunReport | None:
    """Today's run if this process wins the day's claim; None when another process has it."""
    today = jakarta_today(now)
    if not await claim_day(today, run_name(), now):
        return None
    report = await send_alerts(settings, today, now)
    async with write_transaction(AlertRun._meta.db):
        outcome = "\n".join(report.lines())
        await AlertRun.update({AlertRun.finished_at: utc_now(), AlertRun.outcome: outcome}).where(
            AlertRun.run_on == today
        )
    return report


async def daily(settings: Settings, at: time, clock: Clock, sleep: Sleep = asyncio.sleep) -> None:
    """Run today's alerts if their hour has passed, then every day at ``at``; never returns."""
    now = clock()
    if now.astimezone(JAKARTA).time() >= at:
        await _guarded(settings, now)
    while True:
        now = clock()
        await sleep((next_run_at(now, at) - now).total_seconds())
        await _guarded(settings, clock())


async def _guarded(settings: Settings, now: datetime) -> None:
    # A failed run must not stop the server nor the next day's run; the ledger keeps what's due.
    try:
        report = await scheduled_run(settings, now)
    except Exception:
        log.exception("scheduled alert run failed")
        return
    if report is not None:
        for line in report.lines():
            log.info("alerts: %s", line)


def scheduled_alerts(
    settings: Settings, clock: Clock
) -> list[Callable[[Any], AbstractAsyncContextManager[None]]]:
    """The app lifespan hooks that run the daily alerts; none when TKA_ALERTS_AT is empty."""
    at = parse_alerts_at(settings.alerts_at)
    if at is None:
        return []

    @asynccontextmanager
    async def alerts(app: Any) -> AsyncIterator[None]:
        task = asyncio.create_task(daily(settings, at, clock), name="daily-alerts")
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    return [alerts]
