"""``notifications send``: send the outbox's due emails now (``serve`` does it every minute)."""

from __future__ import annotations

import argparse

from tka_registry.cli import Subparsers, run_with_database
from tka_registry.notifications.delivery import deliver_due
from tka_registry.rules.calendar import utc_now
from tka_registry.settings import Settings


def register(subparsers: Subparsers) -> None:
    notifications = subparsers.add_parser("notifications", help="decision and submission emails")
    actions = notifications.add_subparsers(dest="action", required=True, metavar="ACTION")
    send = actions.add_parser("send", help="send the due emails of the outbox")
    send.set_defaults(handler=run_send)


def run_send(arguments: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        report = await deliver_due(settings, utc_now())
        print(f"notifications: {report.sent} sent, {report.failed} failed", flush=True)
        for error in report.errors:
            print(f"  {error}", flush=True)
        return 1 if report.failed else 0

    return run_with_database(settings, work)
