"""The mailbox against a real aiosmtpd server on loopback; SMTP URL parsing."""

from __future__ import annotations

from datetime import date

import pytest
from aiosmtpd.controller import Controller

from tests.alerts.smtp_sink import CollectingHandler, SmtpServer, free_port
from tka_registry.alerts.mailer import (
    Mailbox,
    MailServerUnavailable,
    SmtpTarget,
    parse_smtp_url,
)
from tka_registry.alerts.messages import (
    EmployerDigest,
    MailContext,
    OfficeSummary,
    ReminderLine,
    compose_employer_digest,
    compose_office_summary,
)

TODAY = date(2026, 3, 1)
CONTEXT = MailContext(
    mail_from="noreply@imigrasi-palembang.go.id",
    base_url="http://127.0.0.1:8000",
    office_email="kanim@imigrasi-palembang.go.id",
)


def digest(employer: str, *recipients: str, workers: int = 2) -> EmployerDigest:
    lines = tuple(
        ReminderLine(
            f"WORKER {n} <script>x</script>" if n == 0 else f"WORKER {n}",
            f"E{n:08d}",
            "CHN",
            f"2C11AA{n:04d}",
            date(2026, 3, 31),
            "before-30",
        )
        for n in range(workers)
    )
    return EmployerDigest(employer, recipients, TODAY, lines)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:2525", SmtpTarget("127.0.0.1", 2525, "plain")),
        ("smtp://mail.local", SmtpTarget("mail.local", 25, "plain")),
        ("SMTP://Mail.Local:26", SmtpTarget("mail.local", 26, "plain")),
        ("smtp+starttls://mail.go.id", SmtpTarget("mail.go.id", 587, "starttls")),
        ("smtps://mail.go.id", SmtpTarget("mail.go.id", 465, "tls")),
        ("smtps://mail.go.id:2465", SmtpTarget("mail.go.id", 2465, "tls")),
        (
            "smtp+starttls://alerts:s3cret@mail.go.id:587",
            SmtpTarget("mail.go.id", 587, "starttls", "alerts", "s3cret"),
        ),
        (
            "smtp+starttls://noreply%40imigrasi.go.id:p%40ss%3Aw%2Fd%25@mail.go.id:587",
            SmtpTarget("mail.go.id", 587, "starttls", "noreply@imigrasi.go.id", "p@ss:w/d%"),
        ),
        ("smtp://user@mail.local:25", SmtpTarget("mail.local", 25, "plain", "user", None)),
        ("smtp://user:@mail.local", SmtpTarget("mail.local", 25, "plain", "user", "")),
        ("smtp://[::1]:2525", SmtpTarget("::1", 2525, "plain")),
    ],
)
def test_parse_smtp_url(url: str, expected: SmtpTarget) -> None:
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("http://mail.local", "scheme"),
        ("mail.local:25", "scheme"),
        ("smtp://", "host"),
        ("smtp://:25", "host"),
        ("smtp://mail.local:abc", "port"),
        ("smtp://mail.local:70000", "port"),
        ("smtp://mail.local:0", "port"),
        ("smtp://:pw@mail.local", "password needs a user"),
        ("smtp://mail.local/inbox", "path"),
        ("smtp://mail.local?tls=1", "query"),
    ],
)
def test_parse_smtp_url_rejects_bad_urls(url: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_smtp_url(url)


def test_password_never_shown() -> None:
    target = parse_smtp_url("smtps://alerts:hunter2@mail.go.id")
    assert "hunter2" not in repr(target) and "hunter2" not in str(target)
    assert str(target) == "smtps://alerts@mail.go.id:465"
    with pytest.raises(ValueError) as raised:
        parse_smtp_url("ftp://alerts:hunter2@mail.go.id")
    assert "hunter2" not in str(raised.value)


async def test_digest_delivered_and_readable(smtp_server: SmtpServer) -> None:
    message = compose_employer_digest(digest("PT Pusri", "hr@pusri.co.id"), CONTEXT)
    async with Mailbox(parse_smtp_url(smtp_server.url)) as mailbox:
        result = await mailbox.send(message)
    assert result.delivered and result.status == "sent"
    assert result.accepted == ("hr@pusri.co.id",) and result.refused == ()
    assert result.message_id == message["Message-ID"]
    [received] = smtp_server.handler.received
    assert received.mail_from == "noreply@imigrasi-palembang.go.id"
    assert received.rcpt_tos == ["hr@pusri.co.id"]
    parsed = received.message()
    assert parsed["Message-ID"] == message["Message-ID"]
    assert str(parsed["Subject"]).strip().startswith("Pengingat izin tinggal 2 TKA / Stay permit")
    assert parsed.get_content_type() == "multipart/alternative"
    plain_part, html_part = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert plain_part is not None and html_part is not None
    plain, html = plain_part.get_content(), html_part.get_content()
    for body in (plain, html):
        assert body.index("Yang perlu dilakukan") < body.index("What to do")
        assert "E00000001" in body and "2C11AA0001" in body and "31 Maret 2026" in body
    assert "WORKER 0 <script>x</script>" in plain
    assert "<script>" not in html and "WORKER 0 &lt;script&gt;x&lt;/script&gt;" in html


async def test_many_messages_share_one_connection(smtp_server: SmtpServer) -> None:
    async with Mailbox(parse_smtp_url(smtp_server.url)) as mailbox:
        results = [
            await mailbox.send(
                compose_employer_digest(digest(f"PT {n}", f"hr{n}@x.co.id"), CONTEXT)
            )
            for n in range(20)
        ]
        assert mailbox.sent_count == 20
    assert all(result.delivered for result in results)
    received = smtp_server.handler.received
    assert [item.rcpt_tos for item in received] == [[f"hr{n}@x.co.id"] for n in range(20)]
    # Same client address and port for every message: one TCP connection.
    assert len({item.peer for item in received}) == 1


async def test_refused_recipient_does_not_stop_others(smtp_server: SmtpServer) -> None:
    smtp_server.handler.refuse.add("gone@pusri.co.id")
    shared = compose_employer_digest(
        digest("PT Pusri", "gone@pusri.co.id", "hr@pusri.co.id"), CONTEXT
    )
    only_refused = compose_employer_digest(digest("PT Gone", "gone@pusri.co.id"), CONTEXT)
    after = compose_employer_digest(digest("PT Next", "hr@next.co.id"), CONTEXT)
    async with Mailbox(parse_smtp_url(smtp_server.url)) as mailbox:
        partly = await mailbox.send(shared)
        refused = await mailbox.send(only_refused)
        later = await mailbox.send(after)
    assert partly.delivered and partly.accepted == ("hr@pusri.co.id",)
    [refusal] = partly.refused
    assert (refusal.address, refusal.code, refusal.permanent) == ("gone@pusri.co.id", 550, True)
    assert "Mailbox unavailable" in refusal.reason
    assert not refused.delivered and refused.status == "failed"
    assert refused.failure == "all recipients refused"
    assert [item.address for item in refused.refused] == ["gone@pusri.co.id"]
    assert later.delivered
    assert [item.rcpt_tos for item in smtp_server.handler.received] == [
        ["hr@pusri.co.id"],
        ["hr@next.co.id"],
    ]


async def test_office_summary_delivered(smtp_server: SmtpServer) -> None:
    summary = OfficeSummary(TODAY, (digest("PT Pusri", "hr@pusri.co.id", workers=3),))
    async with Mailbox(parse_smtp_url(smtp_server.url)) as mailbox:
        result = await mailbox.send(compose_office_summary(summary, CONTEXT))
    assert result.delivered
    [received] = smtp_server.handler.received
    assert received.rcpt_tos == ["kanim@imigrasi-palembang.go.id"]
    plain_part = received.message().get_body(("plain",))
    assert plain_part is not None
    assert "Tiongkok: 3" in plain_part.get_content()


async def test_message_without_recipient_is_a_failed_result(smtp_server: SmtpServer) -> None:
    message = compose_employer_digest(digest("PT Kosong"), CONTEXT)
    async with Mailbox(parse_smtp_url(smtp_server.url)) as mailbox:
        result = await mailbox.send(message)
    assert result.status == "failed" and result.failure is not None
    assert smtp_server.handler.received == []


async def test_unreachable_server_raises_at_open() -> None:
    target = parse_smtp_url(f"smtp://127.0.0.1:{free_port()}")
    with pytest.raises(MailServerUnavailable, match=f"127.0.0.1:{target.port}"):
        async with Mailbox(target, timeout_seconds=2):
            pytest.fail("the mailbox must not open")


async def test_server_gone_mid_run_fails_message_then_raises() -> None:
    handler = CollectingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    stopped = False
    try:
        async with Mailbox(parse_smtp_url(f"smtp://127.0.0.1:{port}"), timeout_seconds=2) as box:
            first = await box.send(compose_employer_digest(digest("PT A", "a@a.co.id"), CONTEXT))
            controller.stop()
            stopped = True
            lost = await box.send(compose_employer_digest(digest("PT B", "b@b.co.id"), CONTEXT))
            assert first.delivered
            assert lost.status == "failed" and lost.failure
            with pytest.raises(MailServerUnavailable):
                await box.send(compose_employer_digest(digest("PT C", "c@c.co.id"), CONTEXT))
    finally:
        if not stopped:
            controller.stop()
    assert [item.rcpt_tos for item in handler.received] == [["a@a.co.id"]]


async def test_dropped_connection_is_reopened_for_next_message(smtp_server: SmtpServer) -> None:
    mailbox = Mailbox(parse_smtp_url(smtp_server.url))
    async with mailbox:
        await mailbox.close()  # as if the server had closed an idle session
        result = await mailbox.send(compose_employer_digest(digest("PT A", "a@a.co.id"), CONTEXT))
    assert result.delivered
    assert len(smtp_server.handler.received) == 1
