"""What the notification emails say, in Bahasa Indonesia and English (plain text)."""

from __future__ import annotations

from tka_registry.choices import APPLICATION_KINDS

DECISIONS = {
    "approve": {"id": "disetujui", "en": "approved"},
    "reject": {"id": "ditolak", "en": "rejected"},
    "return": {"id": "dikembalikan untuk dilengkapi", "en": "returned for more information"},
}
OFFICE = {
    "id": "Kantor Imigrasi Kelas I TPI Palembang",
    "en": "Immigration Office Class I TPI Palembang",
}


def _language(language: str) -> str:
    if language not in ("id", "en"):
        raise ValueError(f"unknown notification language {language!r}: id or en")
    return language


def decision_message(
    language: str, *, register_number: str, person: str, decision: str, reason: str, link: str
) -> tuple[str, str]:
    """Subject and body telling the employer the decision on a case."""
    lang = _language(language)
    said = DECISIONS[decision][lang]
    if lang == "id":
        subject = f"Permohonan {register_number} {said}"
        lines = [
            "Yth. penjamin,",
            "",
            f"Permohonan {register_number} ({person}) {said}.",
            f"Alasan petugas: {reason}" if reason else "",
            "",
            f"Lihat permohonan: {link}",
        ]
    else:
        subject = f"Application {register_number} {said}"
        lines = [
            "Dear sponsor,",
            "",
            f"Application {register_number} ({person}) was {said}.",
            f"The officer's reason: {reason}" if reason else "",
            "",
            f"See the application: {link}",
        ]
    return subject, "\n".join([*lines, "", OFFICE[lang]]) + "\n"


def take_over_message(
    language: str, *, register_number: str, person: str, by: str, link: str
) -> tuple[str, str]:
    """Subject and body telling an officer that a colleague took over a case they had."""
    lang = _language(language)
    if lang == "id":
        subject = f"Permohonan {register_number} diambil alih oleh {by}"
        lines = [
            f"Permohonan {register_number} ({person}) yang sedang Anda tangani telah diambil alih"
            f" oleh {by}. Sejak sekarang hanya {by} yang dapat memutuskannya.",
            "Riwayat permohonan dan log audit mencatat pengambilalihan ini dengan kedua nama.",
            "",
            f"Lihat permohonan: {link}",
        ]
    else:
        subject = f"Application {register_number} taken over by {by}"
        lines = [
            f"{by} has taken over application {register_number} ({person}), which you had."
            f" From now on only {by} can decide it.",
            "The case's history and the audit log record the take-over with both names.",
            "",
            f"See the application: {link}",
        ]
    return subject, "\n".join([*lines, "", OFFICE[lang]]) + "\n"


def submission_line(
    language: str, *, register_number: str, person: str, kind: str, link: str
) -> str:
    """One submission in the office's digest."""
    lang = _language(language)
    return f"- {register_number}: {APPLICATION_KINDS.label(kind, lang)}, {person} ({link})"


def digest_message(language: str, lines: list[str]) -> tuple[str, str]:
    """Subject and body of the office's digest of new submissions."""
    lang = _language(language)
    if lang == "id":
        subject = f"{len(lines)} permohonan baru diajukan"
        head = "Permohonan yang diajukan sejak ringkasan terakhir:"
    else:
        subject = f"{len(lines)} new applications submitted"
        head = "Applications submitted since the last digest:"
    return subject, "\n".join([head, "", *lines, "", OFFICE[lang]]) + "\n"
