"""``alerts send``: the expiry reminders, for cron (or ``serve`` with TKA_ALERTS_AT)."""

from __future__ import annotations

import argparse
from datetime import date

from tka_registry.alerts.run import send_alerts
from tka_registry.cli import Subparsers, fail, run_with_database
from tka_registry.rules.calendar import jakarta_today, utc_now
from tka_registry.settings import Settings


def register(subparsers: Subparsers) -> None:
    alerts = subparsers.add_parser("alerts", help="expiry reminder emails")
    actions = alerts.add_subparsers(dest="action", required=True, metavar="ACTION")
    send = actions.add_parser("send", help="send the reminders due today (Asia/Jakarta)")
    send.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; change nothing"
    )
    send.add_argument("--today", default=None, help="the day to run for, YYYY-MM-DD (Jakarta)")
    send.set_defaults(handler=run_send)


def run_send(arguments: argparse.Namespace, settings: Settings) -> int:
    now = utc_now()
    today = jakarta_today(now)
    if arguments.today is not None:
        try:
            today = date.fromisoformat(arguments.today)
        except ValueError:
            return fail(f"--today must be a date YYYY-MM-DD, got {arguments.today!r}")

    async def work() -> int:
        report = await send_alerts(settings, today, now, dry_run=arguments.dry_run)
        print("\n".join(report.lines()), flush=True)
        return report.exit_code

    # A dry run writes nothing, not even a migration.
    return run_with_database(settings, work, apply_migrations=not arguments.dry_run)
