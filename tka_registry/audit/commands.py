"""``audit verify``: prove the audit log has not been altered since it was written."""

from __future__ import annotations

import argparse
import re

from tka_registry.audit.service import check_chain
from tka_registry.cli import Subparsers, fail, run_with_database
from tka_registry.settings import Settings

_HASH = re.compile(r"[0-9a-f]{64}")


def register(subparsers: Subparsers) -> None:
    audit = subparsers.add_parser("audit", help="the audit log")
    actions = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help="walk the hash chain; exit 0 when intact, 1 naming the first broken entry",
    )
    verify.add_argument(
        "--expect-head",
        metavar="HASH",
        default=None,
        help="a head hash printed by an earlier run: it must still be in the chain "
        "(detects entries removed from the end)",
    )
    verify.set_defaults(handler=run_verify)


def run_verify(arguments: argparse.Namespace, settings: Settings) -> int:
    anchor = arguments.expect_head
    if anchor is not None and not _HASH.fullmatch(anchor.lower()):
        return fail("--expect-head needs a 64-character hex SHA-256 hash")

    async def work() -> int:
        check = await check_chain(anchor.lower() if anchor else None)
        if check.broken:
            broken = check.broken
            print(
                f"audit chain BROKEN at sequence {broken.sequence} (entry id {broken.entry_id}): "
                f"{broken.reason}; {check.checked - 1} entries before it are intact"
            )
            return 1
        print(f"audit chain intact: {check.checked} entries")
        print(f"head: sequence {check.head_sequence} hash {check.head_hash}")
        if check.anchor_found is False:
            print(
                f"audit chain BROKEN: expected head {anchor} is not in the chain: "
                "the newest entries were removed or the chain was rewritten"
            )
            return 1
        return 0

    # A verification must not change the database it checks.
    return run_with_database(settings, work, apply_migrations=False)
