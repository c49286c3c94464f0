"""``demo-data``: realistic records to try the registry with."""

from __future__ import annotations

import argparse
import time
from datetime import date

from tka_registry.cli import Subparsers, run_with_database
from tka_registry.demo.generate import load_demo_data
from tka_registry.demo.showcase import load_showcase
from tka_registry.rules.calendar import jakarta_today, utc_now
from tka_registry.settings import Settings


def register(subparsers: Subparsers) -> None:
    command = subparsers.add_parser("demo-data", help="load demo employers, workers and permits")
    command.add_argument("--workers", type=int, default=1200, help="how many workers (1200)")
    command.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
    command.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="the day permit dates are spread around (default: today in Asia/Jakarta)",
    )
    command.set_defaults(handler=run_demo)


def run_demo(arguments: argparse.Namespace, settings: Settings) -> int:
    now = utc_now()
    today = arguments.today or jakarta_today(now)

    async def work() -> int:
        started = time.perf_counter()
        summary = await load_demo_data(
            workers=arguments.workers, seed=arguments.seed, today=today, now=now
        )
        # Each role's first demo account acts in the showcase (penjamin1 for the employer).
        by_role = {role: email for email, role, _ in reversed(summary.accounts)}
        showcase = await load_showcase(
            seed=arguments.seed,
            employer_id=next(iter(summary.employer_ids.values())),
            sponsor_email=by_role["employer"],
            officer_email=by_role["officer"],
            settings=settings,
            today=today,
            now=now,
        )
        elapsed = time.perf_counter() - started
        print(
            f"demo data (seed {arguments.seed}, around {today.isoformat()}): "
            f"{summary.employers} employers, {summary.workers} new workers, "
            f"{summary.permits} new permits, {showcase.applications} new applications, "
            f"{showcase.second_home_cases} new Second Home cases, "
            f"{showcase.revoked_permits} newly revoked permits; "
            f"{showcase.reminders} reminders due today in the ledger; in {elapsed:.1f} s"
        )
        print("demo logins (for trying the registry only):")
        for email, role, password in summary.accounts:
            print(f"  {role:<13} {email:<32} password: {password}")
        return 0

    return run_with_database(settings, work)
