"""Throughput of alert email: 1,000 employer digests composed and delivered to a local aiosmtpd
through one Mailbox (one SMTP connection). Target: at least 100 messages per second.

    python bench/bench_mail.py [--messages 1000] [--workers-per-digest 3]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import time
from datetime import date, timedelta
from typing import Any

from aiosmtpd.controller import Controller

from tka_registry.alerts.mailer import Mailbox, parse_smtp_url
from tka_registry.alerts.messages import (
    EmployerDigest,
    MailContext,
    ReminderLine,
    compose_employer_digest,
)

TARGET_PER_SECOND = 100
TODAY = date(2026, 3, 1)
NATIONALITIES = ("CHN", "IND", "GBR", "MYS", "KOR", "JPN")


class CountingHandler:
    """Accepts everything and counts delivered messages and bytes."""

    def __init__(self) -> None:
        self.messages = 0
        self.octets = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        self.octets += len(envelope.content)
        return "250 OK"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def digests(count: int, workers: int) -> list[EmployerDigest]:
    return [
        EmployerDigest(
            f"PT Contoh Sriwijaya {n}",
            (f"hrd{n}@contoh{n}.co.id",),
            TODAY,
            tuple(
                ReminderLine(
                    f"Worker {n}-{w}",
                    f"E{n:05d}{w:03d}",
                    NATIONALITIES[(n + w) % len(NATIONALITIES)],
                    f"2C11{n:05d}{w:02d}",
                    TODAY + timedelta(days=30 - 7 * w),
                    "before-30",
                )
                for w in range(workers)
            ),
        )
        for n in range(count)
    ]


async def run(count: int, workers: int, port: int) -> tuple[float, float, int]:
    context = MailContext(mail_from="noreply@imigrasi-palembang.go.id", base_url="http://x")
    batch = digests(count, workers)
    started = time.perf_counter()
    messages = [compose_employer_digest(digest, context) for digest in batch]
    composed = time.perf_counter()
    delivered = 0
    async with Mailbox(parse_smtp_url(f"smtp://127.0.0.1:{port}")) as mailbox:
        for message in messages:
            delivered += (await mailbox.send(message)).delivered
    sent = time.perf_counter()
    return composed - started, sent - composed, delivered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--workers-per-digest", type=int, default=3)
    args = parser.parse_args()
    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        compose_s, send_s, delivered = asyncio.run(
            run(args.messages, args.workers_per_digest, port)
        )
    finally:
        controller.stop()
    total = compose_s + send_s
    rate = delivered / total
    print(f"digests: {args.messages} ({args.workers_per_digest} workers each), one connection")
    print(f"delivered: {delivered}, received by server: {handler.messages}")
    print(f"average size: {handler.octets // max(handler.messages, 1)} bytes")
    print(f"compose: {compose_s:.3f} s ({args.messages / compose_s:.0f} messages/s)")
    print(f"send:    {send_s:.3f} s ({delivered / send_s:.0f} messages/s)")
    print(f"total:   {total:.3f} s -> {rate:.0f} messages/s (target >= {TARGET_PER_SECOND}/s)")
    print(f"ratio to target: {rate / TARGET_PER_SECOND:.1f}x")


if __name__ == "__main__":
    main()
