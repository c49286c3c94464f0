"""``tka-registry alerts send`` as cron runs it: in-process, and as a real process killed midway."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.alerts import records
from tests.alerts.smtp_sink import CollectingHandler, free_port
from tka_registry import cli
from tka_registry.alerts.tables import Reminder
from tka_registry.db import bind, engine_for

TODAY = date(2026, 11, 22)
OFFICE = "kanim.palembang@imigrasi.test"
ROOT = Path(__file__).resolve().parents[2]


def command_env(database_url: str, smtp_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "TKA_DATABASE_URL": database_url,
        "TKA_SMTP_URL": smtp_url,
        "TKA_OFFICE_EMAIL": OFFICE,
        "TKA_SECRET_KEY": "test-secret",
    }


async def run_in_process(
    monkeypatch: pytest.MonkeyPatch, database_url: str, smtp_url: str, *arguments: str
) -> int:
    for name, value in command_env(database_url, smtp_url).items():
        if name.startswith("TKA_"):
            monkeypatch.setenv(name, value)
    argv = ["alerts", "send", "--today", TODAY.isoformat(), *arguments]
    try:
        return await asyncio.to_thread(cli.main, argv)
    finally:
        bind(engine_for(database_url))  # the command bound the tables to its own engine


async def test_command_sends_dry_runs_and_fails_on_unreachable_smtp(
    db, smtp_server, monkeypatch, capsys
) -> None:
    pusri = await records.employer("PT Pupuk Sriwidjaja", "hrd@pusri.test")
    _, number = await records.employed(pusri, "Zhang Wei", TODAY + timedelta(days=30))

    nowhere = f"smtp://127.0.0.1:{free_port()}"
    assert await run_in_process(monkeypatch, db, nowhere) == 1
    assert "every reminder is left pending" in capsys.readouterr().out
    assert [row["state"] for row in await Reminder.select(Reminder.state)] == ["pending"]

    assert await run_in_process(monkeypatch, db, smtp_server.url, "--dry-run") == 0
    assert "hrd@pusri.test" in capsys.readouterr().out
    assert smtp_server.handler.received == []

    assert await run_in_process(monkeypatch, db, smtp_server.url) == 0
    assert "sent 2 email(s) covering 1 reminder(s)" in capsys.readouterr().out
    digest = smtp_server.handler.received[0].message()
    assert number in digest.get_body(("plain",)).get_content()
    assert [row["state"] for row in await Reminder.select(Reminder.state)] == ["sent"]


@dataclass
class StallingHandler(CollectingHandler):
    """Accepts ``fast`` messages, then stalls (never answering DATA) until the client is gone."""

    fast: int = 3
    stalled: threading.Event = field(default_factory=threading.Event)
    stall: bool = True

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stall and len(self.received) >= self.fast:
            self.stalled.set()
            await asyncio.sleep(120)  # cancelled by aiosmtpd when the client's connection drops
        return await super().handle_DATA(server, session, envelope)


async def test_killed_run_is_finished_by_the_next_exactly_once(db) -> None:
    numbers = set()
    for n in range(8):
        employer_id = await records.employer(f"PT Contoh {n}", f"hrd{n}@contoh{n}.test")
        for w in range(2):
            expires_on = TODAY + timedelta(days=3 + n + w)
            numbers.add((await records.employed(employer_id, f"Worker {n}-{w}", expires_on))[1])
    handler = StallingHandler(fast=3)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = command_env(db, f"smtp://127.0.0.1:{port}")
        argv = [sys.executable, "-m", "tka_registry.cli", "alerts", "send", "--today", "2026-11-22"]
        process = await asyncio.create_subprocess_exec(
            *argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        stalled = await asyncio.to_thread(handler.stalled.wait, 60)
        assert stalled, "the sending process never reached the fourth message"
        process.send_signal(signal.SIGKILL)
        assert await asyncio.wait_for(process.wait(), 30) == -signal.SIGKILL

        # What the killed run left: 3 digests sent and marked; the other 5 claimed (one batch),
        # each with its own Message-ID, the fourth one mid-send.
        rows = await Reminder.select().order_by(Reminder.id)
        assert sum(r["state"] == "sent" for r in rows) == 6
        in_flight = [r for r in rows if r["claimed_by"] is not None]
        assert len(in_flight) == 10 and all(r["state"] == "pending" for r in in_flight)
        in_flight_ids = {r["message_id"] for r in in_flight}
        assert len(in_flight_ids) == 5

        handler.stall = False
        second = await asyncio.create_subprocess_exec(
            *argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        output, _ = await asyncio.wait_for(second.communicate(), 120)
        assert second.returncode == 0, output
        assert b"took over 10 reminder(s) of a stopped run" in output
    finally:
        controller.stop()

    digests = [r.message() for r in handler.received if r.rcpt_tos != [OFFICE]]
    received_ids = [str(message["Message-ID"]) for message in digests]
    copies = Counter(
        number
        for message in digests
        for number in numbers
        if number in message.get_body(("plain",)).get_content()
    )
    rows = await Reminder.select(
        Reminder.state,
        Reminder.claimed_by,
        Reminder.message_id,
        Reminder.abandoned_message_id,
        Reminder.attempts,
        Reminder.permit.number.as_alias("number"),
    ).order_by(Reminder.id)
    assert all(r["state"] == "sent" and r["claimed_by"] is None for r in rows)
    retaken = [r for r in rows if r["abandoned_message_id"] is not None]
    assert len(retaken) == 10
    assert {r["abandoned_message_id"] for r in retaken} == in_flight_ids
    assert all(r["message_id"] in received_ids and r["attempts"] == 2 for r in retaken)
    # Exactly once, except for the one documented window: a claimed message the server accepted
    # before the run died unmarked comes twice, the first copy under the abandoned Message-ID.
    window = {r["number"] for r in retaken if r["abandoned_message_id"] in received_ids}
    assert {n: copies[n] for n in numbers} == {n: 2 if n in window else 1 for n in numbers}
    # Here the kill came while the server had not answered the fourth message: no window.
    assert window == set()
    assert len(set(received_ids)) == len(received_ids) == 8
