"""Positions closed to foreign workers (UU 13/2003 art. 46; Kepmenaker 349/2019).

Titles are matched by meaning, not spelling: both languages, any case, accents and word order,
with common abbreviations ("HR", "HRD", "SDM") read as personnel. A title is closed when its words
contain every key word of a closed position, so "Senior HR Manager" is closed while "Plant
Manager" and "Finance Director" stay open (Kepmenaker 228/2019 lets foreigners be directors who
do not handle personnel).
"""

from __future__ import annotations

import re
from functools import cache

from tka_registry.rules.nationality import fold

# Kepmenaker 349/2019, Lampiran: the 18 positions foreign workers may not hold, as
# (Indonesian title, English title). Items 1-12 are as published; the Indonesian wording of
# items 13-18 is taken from the earlier list (Kepmenakertrans 40/2012) and was not checked
# against the 2019 attachment. English spelling is corrected ("Emlployee" in the attachment).
CLOSED_POSITIONS: tuple[tuple[str, str], ...] = (
    ("Direktur Personalia", "Personnel Director"),
    ("Manajer Hubungan Industrial", "Industrial Relations Manager"),
    ("Manajer Personalia", "Human Resource Manager"),
    ("Supervisor Pengembangan Personalia", "Personnel Development Supervisor"),
    ("Supervisor Perekrutan Personalia", "Personnel Recruitment Supervisor"),
    ("Supervisor Penempatan Personalia", "Personnel Placement Supervisor"),
    ("Supervisor Pembinaan Karir Pegawai", "Employee Career Development Supervisor"),
    ("Penata Usaha Personalia", "Personnel Declare Administrator"),
    ("Ahli Pengembangan Personalia dan Karir", "Personnel and Careers Specialist"),
    ("Spesialis Personalia", "Personnel Specialist"),
    ("Penasehat Karir", "Career Advisor"),
    ("Penasehat Tenaga Kerja", "Job Advisor"),
    ("Pembimbing dan Konseling Jabatan", "Job Advisor and Counseling"),
    ("Perantara Tenaga Kerja", "Employee Mediator"),
    ("Pengadministrasi Pelatihan Pegawai", "Job Training Administrator"),
    ("Pewawancara Pegawai", "Job Interviewer"),
    ("Analis Jabatan", "Job Analyst"),
    ("Penyelenggara Keselamatan Kerja Pegawai", "Occupational Safety Specialist"),
)

# Multi-word phrases read as one concept, replaced before single words.
_PHRASES: dict[str, str] = {
    "human resources": "personnel",
    "human resource": "personnel",
    "human capital": "personnel",
    "sumber daya manusia": "personnel",
    "industrial relations": "industrialrelations",
    "industrial relation": "industrialrelations",
    "hubungan industrial": "industrialrelations",
    "tenaga kerja": "work",
    "kepala bagian": "manager",
    "penata usaha": "administrator",
    "keselamatan kerja": "safety work",
    "occupational safety": "safety work",
}

# Single words (either language, abbreviations) to a shared concept; other words stay as they are.
_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["hr", "hrd", "hrga", "hrm", "sdm", "personalia", "personnel", "kepegawaian"], "personnel"
    ),
    **dict.fromkeys(["manager", "manajer", "manajemen", "mgr", "head", "kepala"], "manager"),
    **dict.fromkeys(["director", "direktur", "chief"], "director"),
    **dict.fromkeys(["supervisor", "spv", "penyelia"], "supervisor"),
    # Recruiting is personnel work even when the title does not say so ("Recruitment Manager").
    **dict.fromkeys(
        ["recruitment", "recruiting", "recruiter", "rekrutmen", "perekrutan"],
        "recruitment personnel",
    ),
    **dict.fromkeys(["development", "pengembangan", "pembinaan"], "development"),
    **dict.fromkeys(["placement", "penempatan"], "placement"),
    **dict.fromkeys(["career", "careers", "karir", "karier"], "career"),
    **dict.fromkeys(
        ["administrator", "admin", "administration", "administrasi", "pengadministrasi"],
        "administrator",
    ),
    **dict.fromkeys(["specialist", "spesialis", "ahli", "penyelenggara"], "specialist"),
    **dict.fromkeys(["advisor", "adviser", "penasehat", "penasihat", "pembimbing"], "advisor"),
    **dict.fromkeys(["counseling", "counselling", "counselor", "konseling"], "counseling"),
    **dict.fromkeys(["mediator", "perantara"], "mediator"),
    **dict.fromkeys(["training", "pelatihan"], "training"),
    **dict.fromkeys(["interviewer", "pewawancara"], "interviewer"),
    **dict.fromkeys(["analyst", "analis"], "analyst"),
    **dict.fromkeys(
        ["job", "jabatan", "pekerjaan", "employee", "employees", "pegawai", "karyawan"], "work"
    ),
    **dict.fromkeys(["occupational", "occupation", "kerja", "employment"], "work"),
    **dict.fromkeys(["safety", "keselamatan"], "safety"),
    "declare": "",  # a word of the attachment's English, not of any real job title
}
_FILLER = {"", "and", "dan", "of", "the", "for", "&", "bagian", "departemen", "department"}


def concepts(title: str) -> frozenset[str]:
    """The set of concepts a job title names, independent of language, case and word order."""
    text = " " + " ".join(re.split(r"[^a-z0-9&]+", fold(title))) + " "
    for phrase, concept in _PHRASES.items():
        text = text.replace(f" {phrase} ", f" {concept} ")
    words = (part for word in text.split() for part in _WORDS.get(word, word).split())
    return frozenset(word for word in words if word not in _FILLER)


@cache
def _signatures() -> tuple[tuple[frozenset[str], tuple[str, str]], ...]:
    """Key-word sets of every closed title in both languages, the most specific first."""
    signatures = [(concepts(title), pair) for pair in CLOSED_POSITIONS for title in pair]
    return tuple(sorted(signatures, key=lambda item: -len(item[0])))


def closed_position(title: str) -> tuple[str, str] | None:
    """The (Indonesian, English) closed position ``title`` falls under, or None when open."""
    words = concepts(title)
    for signature, pair in _signatures():
        if signature <= words:
            return pair
    return None


def is_position_closed(title: str, language: str = "id") -> str | None:
    """The closed title (Indonesian by default, ``en`` for English) ``title`` matches, or None."""
    # Kepmenaker 349/2019: positions in charge of personnel are closed to foreign workers.
    pair = closed_position(title)
    if pair is None:
        return None
    return pair[1] if language == "en" else pair[0]
