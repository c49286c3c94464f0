"""``audit verify``: prove the audit log has not been altered since it was written."""

from __future__ import annotations

import argparse
import re

from tka_registry.audit.service import ChainCheck, check_chain
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


def chain_report(check: ChainCheck, anchor: str | None) -> tuple[int, list[str]]:
    """The exit code (0 intact, 1 broken) and the lines ``audit verify`` prints."""
    if check.broken:
        broken = check.broken
        return 1, [
            f"audit chain BROKEN at sequence {broken.sequence} (entry id {broken.entry_id}): "
            f"{broken.reason}; the {check.checked - 1} entries before it are intact"
        ]
    lines = [
        f"audit chain intact: {check.checked} entries",
        f"head: sequence {check.head_sequence} hash {check.head_hash}",
    ]
    if check.pending_reads:
        lines.append(
            f"{check.pending_reads} recorded reads wait to be sealed into the chain "
            "(a running server seals them within a second, any change at once)"
        )
    if check.anchor_found is False:
        lines.append(
            f"audit chain BROKEN: expected head {anchor} is not in the chain: "
            "the newest entries were removed or the chain was rewritten"
        )
        return 1, lines
    return 0, lines


def run_verify(arguments: argparse.Namespace, settings: Settings) -> int:
    anchor = arguments.expect_head.lower() if arguments.expect_head else None
    if anchor is not None and not _HASH.fullmatch(anchor):
        return fail("--expect-head needs a 64-character hex SHA-256 hash")

    async def work() -> int:
        code, lines = chain_report(await check_chain(anchor), anchor)
        print("\n".join(lines))
        return code

    # A verification must not change the database it checks.
    return run_with_database(settings, work, apply_migrations=False)
