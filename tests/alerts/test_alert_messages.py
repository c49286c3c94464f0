"""Composed alert emails read back with the standard email package: parts, order, escaping."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from tka_registry.alerts import wording
from tka_registry.alerts.messages import (
    NO_ADDRESS,
    EmployerDigest,
    HolderReminder,
    MailContext,
    OfficeSummary,
    ReminderLine,
    SkippedDigest,
    compose_employer_digest,
    compose_holder_reminder,
    compose_office_summary,
    overstay_lines,
    validate_address,
)
from tka_registry.alerts.stages import UnknownStage
from tka_registry.settings import Settings

TODAY = date(2026, 3, 1)
CONTEXT = MailContext(
    mail_from="noreply@imigrasi-palembang.go.id",
    base_url="https://tka.imigrasi-palembang.go.id/",
    office_email="kanim.palembang@imigrasi.go.id",
)
SCRIPT_NAME = "ZHANG <script>alert(1)</script> Wei"
LINE_DUE = ReminderLine(
    SCRIPT_NAME, "E12345678", "CHN", "2C11AA0001", date(2026, 3, 31), "before-30", "PT Pusri"
)
LINE_OVERSTAY = ReminderLine(
    "Raj Kumar", "Z7654321", "IND", "2C11AA0002", date(2026, 2, 20), "overstay-7", "PT Pusri"
)
DIGEST = EmployerDigest(
    "PT Pupuk Sriwidjaja", ("hr@pusri.co.id",), TODAY, (LINE_DUE, LINE_OVERSTAY)
)


def reparsed(message: EmailMessage) -> EmailMessage:
    """The message as a receiver would parse it from the wire."""
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def subject(message: EmailMessage) -> str:
    # Python folds a subject that fits one continuation line as "Subject:\n <value>" and its
    # parser keeps the leading space; mail clients strip it, so the tests do too.
    return str(message["Subject"]).strip()


def parts(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


@pytest.mark.parametrize(
    "address", ["hr@pusri.co.id", "a.b-c+tag@mail.example.com", "X@Sub.Domain-1.ID"]
)
def test_valid_addresses_pass(address: str) -> None:
    assert validate_address(address) is None


@pytest.mark.parametrize(
    "address",
    [
        "hr",
        "hr@",
        "@pusri.co.id",
        "hr@localhost",
        "h r@pusri.co.id",
        "hr..x@pusri.co.id",
        "hr@pusri..co.id",
        "hr@-pusri.co.id",
        "hr@pusri_co.id",
        "a@b.com, c@d.com",
        "PT Pusri <hr@pusri.co.id>",
        "pérez@pusri.co.id",
        "x" * 65 + "@pusri.co.id",
        "x@" + "a" * 250 + ".id",
    ],
)
def test_malformed_addresses_give_a_reason(address: str) -> None:
    reason = validate_address(address)
    assert reason is not None and reason != NO_ADDRESS


@pytest.mark.parametrize("address", [None, "", "   "])
def test_missing_address_reason(address: str | None) -> None:
    assert validate_address(address) == NO_ADDRESS


def test_context_from_settings_uses_setting_fields() -> None:
    settings = Settings(mail_from="a@b.go.id", base_url="http://h:1", office_email="o@b.go.id")
    context = MailContext.from_settings(settings)
    assert (context.mail_from, context.portal_url, context.office_email) == (
        "a@b.go.id",
        "http://h:1/portal",
        "o@b.go.id",
    )
    assert context.overstay_fine_per_day_idr == settings.overstay_fine_per_day_idr
    assert context.extension_window_days == settings.extension_window_days


def test_digest_headers_and_alternative_parts() -> None:
    message = reparsed(compose_employer_digest(DIGEST, CONTEXT))
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["To"] == "hr@pusri.co.id"
    assert message["From"] == "noreply@imigrasi-palembang.go.id"
    assert message["Message-ID"].endswith("@imigrasi-palembang.go.id>")
    assert message["Auto-Submitted"] == "auto-generated"
    title = subject(message)
    assert title.startswith("[OVERSTAY] Pengingat izin tinggal 2 TKA / Stay permit reminder")
    assert title.endswith("PT Pupuk Sriwidjaja")


def test_digest_indonesian_first_then_english_with_every_worker() -> None:
    plain, html = parts(reparsed(compose_employer_digest(DIGEST, CONTEXT)))
    for body in (plain, html):
        assert body.index("Yang perlu dilakukan") < body.index("What to do")
        assert body.index("RPTKA") < body.index("What to do")
        assert "mulai 30 hari sebelum habis berlaku" in body
        assert "from 30 days before expiry" in body
        assert "Rp 1.000.000 per hari" in body and "Rp 1.000.000 per day" in body
        assert "lewat 60 hari" in body and "past 60 days" in body
        assert "https://tka.imigrasi-palembang.go.id/portal" in body
        for value in ("E12345678", "2C11AA0001", "Z7654321", "2C11AA0002"):
            assert value in body
        assert "31 Maret 2026" in body and "31 March 2026" in body
        assert "30 hari lagi" in body and "30 days left" in body
        # Expired on 20 February: 9 days overstayed on 1 March, fine so far Rp 9,000,000.
        assert "overstay 9 hari" in body and "9 days overstayed" in body
        assert "Rp 9.000.000" in body
    assert '<html lang="id">' in html


def test_digest_html_escapes_names_but_text_keeps_them() -> None:
    plain, html = parts(reparsed(compose_employer_digest(DIGEST, CONTEXT)))
    assert "<script>" not in html
    assert "ZHANG &lt;script&gt;alert(1)&lt;/script&gt; Wei" in html
    assert SCRIPT_NAME in plain


def test_digest_sorted_by_expiry_and_single_worker_wording() -> None:
    plain, _ = parts(compose_employer_digest(DIGEST, CONTEXT))
    assert plain.index("Raj Kumar") < plain.index("ZHANG")
    single = replace(DIGEST, lines=(LINE_DUE,))
    message = compose_employer_digest(single, CONTEXT)
    assert not subject(message).startswith("[OVERSTAY]")
    assert "1 foreign worker -" in subject(message)


def test_employer_name_with_line_break_cannot_inject_headers() -> None:
    digest = replace(DIGEST, employer_name="PT Jahat\r\nBcc: victim@example.com")
    message = reparsed(compose_employer_digest(digest, CONTEXT))
    assert message["Bcc"] is None
    assert "PT Jahat Bcc: victim@example.com" in subject(message)


def test_message_id_domain_from_sender_with_display_name() -> None:
    context = replace(CONTEXT, mail_from="Kantor Imigrasi Palembang <noreply@kanim.go.id>")
    message = reparsed(compose_employer_digest(DIGEST, context))
    assert message["Message-ID"].endswith("@kanim.go.id>")
    assert message["From"].addresses[0].addr_spec == "noreply@kanim.go.id"


def test_every_message_gets_its_own_message_id() -> None:
    ids = {compose_employer_digest(DIGEST, CONTEXT)["Message-ID"] for _ in range(50)}
    assert len(ids) == 50
    explicit = replace(CONTEXT, msgid_domain="alerts.example.id")
    assert compose_employer_digest(DIGEST, explicit)["Message-ID"].endswith("@alerts.example.id>")


def test_holder_proof_reminder() -> None:
    reminder = HolderReminder(
        "John <b>Smith</b>",
        "john@example.co.uk",
        "123456789",
        "GBR",
        "2D11BB0001",
        date(2031, 1, 1),
        "proof-14",
        TODAY,
        proof_deadline_on=date(2026, 3, 15),
    )
    message = reparsed(compose_holder_reminder(reminder, CONTEXT))
    assert message["To"] == "john@example.co.uk"
    assert subject(message).startswith("Batas waktu bukti")
    plain, html = parts(message)
    for body in (plain, html):
        assert body.index("15 Maret 2026") < body.index("15 March 2026")
        assert "14 hari lagi" in body and "14 days left" in body
        assert "Rp 2.000.000.000" in body
        assert "dideportasi" in body and "deported" in body
    assert "John &lt;b&gt;Smith&lt;/b&gt;" in html


def test_holder_expiry_reminder_and_missing_deadline() -> None:
    reminder = HolderReminder(
        "Jane Doe", "jane@example.com", "X1", "AUS", "2D11", date(2026, 3, 8), "before-7", TODAY
    )
    plain, _ = parts(compose_holder_reminder(reminder, CONTEXT))
    assert "8 Maret 2026 (7 hari lagi)" in plain
    assert "8 March 2026 (7 days left)" in plain
    with pytest.raises(ValueError, match="proof_deadline_on"):
        compose_holder_reminder(replace(reminder, stage="proof-7"), CONTEXT)


def test_office_summary_counts_overstays_and_skipped() -> None:
    no_mail = EmployerDigest(
        "PT Tanpa Email",
        (),
        TODAY,
        (ReminderLine("Kim Min", "M1", "KOR", "2C3", date(2026, 3, 31), "before-30"),),
    )
    bad_mail = EmployerDigest(
        "PT Salah", ("hr@",), TODAY, (replace(LINE_DUE, passport_number="E9"),)
    )
    holder = HolderReminder(
        "Jane", "j@x.com", "X1", "AUS", "2D", date(2030, 1, 1), "proof-30", TODAY, date(2026, 3, 31)
    )
    summary = OfficeSummary(
        today=TODAY,
        digests=(DIGEST,),
        holder_reminders=(holder,),
        skipped=(
            SkippedDigest(no_mail, NO_ADDRESS),
            SkippedDigest(bad_mail, validate_address("hr@") or ""),
        ),
        overstays=overstay_lines([DIGEST, no_mail]),
    )
    message = reparsed(compose_office_summary(summary, CONTEXT))
    assert message["To"] == "kanim.palembang@imigrasi.go.id"
    plain, html = parts(message)
    assert "Pengingat: 5;" in plain and "Reminders: 5;" in plain
    assert "30 hari sebelum habis: 3" in plain and "30 days before expiry: 3" in plain
    assert "overstay 7 hari: 1" in plain and "7 days overstayed: 1" in plain
    assert "30 days before proof deadline: 1" in plain
    # Stages in the order they are sent; proof stages after permit stages.
    order = ["30 days before expiry", "7 days overstayed", "30 days before proof deadline"]
    assert sorted(order, key=plain.index) == order
    assert "Tiongkok: 2" in plain and "China: 2" in plain
    assert "Korea" in plain and "India: 1" in plain
    assert "Overstay (1):" in plain and "Raj Kumar (India)" in plain
    assert "PT Tanpa Email" in plain and NO_ADDRESS in plain
    assert "PT Salah" in plain and "malformed address" in plain
    assert plain.index("Menurut tahap") < plain.index("By stage")
    assert "<script>" not in html and "PT Tanpa Email" in html


def test_office_summary_needs_a_usable_office_address() -> None:
    summary = OfficeSummary(TODAY, (DIGEST,))
    with pytest.raises(ValueError, match="office email"):
        compose_office_summary(summary, replace(CONTEXT, office_email=""))


def test_overstay_lines_only_expired_permits() -> None:
    assert overstay_lines([DIGEST]) == (LINE_OVERSTAY,)


@pytest.mark.parametrize(
    ("amount", "text"), [(0, "Rp 0"), (1_000_000, "Rp 1.000.000"), (60_000_000, "Rp 60.000.000")]
)
def test_rupiah(amount: int, text: str) -> None:
    assert wording.rupiah(amount) == text


@pytest.mark.parametrize(
    ("remaining", "indonesian", "english"),
    [
        (2, "2 hari lagi", "2 days left"),
        (1, "1 hari lagi", "1 day left"),
        (0, "hari ini", "today"),
        (-1, "overstay 1 hari", "1 day overstayed"),
        (-61, "overstay 61 hari", "61 days overstayed"),
    ],
)
def test_days_text(remaining: int, indonesian: str, english: str) -> None:
    assert wording.days_text(remaining, "id") == indonesian
    assert wording.days_text(remaining, "en") == english


@pytest.mark.parametrize(
    ("stage", "indonesian", "english"),
    [
        ("before-90", "90 hari sebelum habis", "90 days before expiry"),
        ("before-0", "hari habis berlaku", "expiry day"),
        ("overstay-14", "overstay 14 hari", "14 days overstayed"),
        ("proof-7", "7 hari sebelum batas bukti", "7 days before proof deadline"),
        ("proof-0", "batas bukti Rumah Kedua", "Second Home proof deadline"),
    ],
)
def test_stage_labels(stage: str, indonesian: str, english: str) -> None:
    assert wording.stage_label(stage, "id") == indonesian
    assert wording.stage_label(stage, "en") == english


def test_stage_label_of_unknown_stage_raises() -> None:
    with pytest.raises(UnknownStage):
        wording.stage_label("later-3", "id")
