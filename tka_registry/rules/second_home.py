"""Second Home Visa (Visa Rumah Kedua, index E33) eligibility rules.

Basis: Surat Edaran IMI-0740.GR.01.01/2022, updated by IMI-0820.GR.01.01/2022; PP 48/2021
art. 103 (no sponsor needed). See ``shared/domain.md``. Every rule is a pure function of its
inputs (dates are parameters, never "today") returning a :class:`RuleOutcome` that carries the
figure compared, the threshold and a sentence in Indonesian and English for the case page.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from tka_registry.choices import RELATIONS as RELATION_CHOICES
from tka_registry.rules.calendar import MonthsDays, add_months, months_days_between
from tka_registry.rules.nationality import fold
from tka_registry.settings import Settings

_DEFAULTS = Settings()

# SE IMI-0740.GR.01.01/2022: a stay of 5 or 10 years.
ALLOWED_STAY_YEARS: tuple[int, ...] = (5, 10)

# Amounts above this are typing errors, not bank balances (Rp 10^15 = one quadrillion).
MAX_PLAUSIBLE_IDR = 10**15

PRINCIPAL = "principal"


@dataclass(frozen=True)
class RuleOutcome:
    """One rule applied to one person or to the case.

    ``figure`` is what was compared (a :class:`MonthsDays`, rupiah int, years int or text) and
    ``threshold`` what it was compared with; the messages are complete sentences.
    """

    rule_id: str
    met: bool
    subject: str
    figure: MonthsDays | int | str | None
    threshold: MonthsDays | int | str | tuple[int, ...] | None
    message_id: str
    message_en: str
    source: str = "SE IMI-0740.GR.01.01/2022"

    def message(self, language: str = "id") -> str:
        """The sentence in ``id`` (default) or ``en``."""
        return self.message_en if language == "en" else self.message_id


@dataclass(frozen=True)
class Dependant:
    """A spouse, child or parent joining the principal."""

    name: str
    relation: str
    passport_expires_on: date


@dataclass(frozen=True)
class SecondHomeCase:
    """What the rules need from a case: dates are calendar dates, amounts whole rupiah."""

    application_date: date
    principal_name: str
    passport_expires_on: date
    stay_years: int
    funds_idr: int | None = None
    bank: str | None = None
    owns_property: bool = False
    dependants: Sequence[Dependant] = field(default_factory=tuple)


# --- calendar arithmetic -------------------------------------------------------------------

_MONTHS_ID = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()


def _date_id(day: date) -> str:
    return f"{day.day} {_MONTHS_ID[day.month - 1]} {day.year}"


def _date_en(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _validity_id(span: MonthsDays, on: date) -> str:
    if span.months < 0 or span.days < 0:
        return f"sudah habis {-span.months} bulan {-span.days} hari sebelum {_date_id(on)}"
    return f"berlaku {span.months} bulan {span.days} hari pada {_date_id(on)}"


def _validity_en(span: MonthsDays, on: date) -> str:
    if span.months < 0 or span.days < 0:
        return f"expired {-span.months} months {-span.days} days before {_date_en(on)}"
    return f"valid {span.months} months {span.days} days on {_date_en(on)}"


def format_rupiah(amount: int, language: str = "id") -> str:
    """``Rp 2.000.000.000`` (id) or ``IDR 2,000,000,000`` (en) for a whole-rupiah amount."""
    grouped = f"{amount:,}"
    return f"IDR {grouped}" if language == "en" else "Rp " + grouped.replace(",", ".")


# --- rules ---------------------------------------------------------------------------------


def check_passport_validity(
    subject: str,
    passport_expires_on: date,
    application_date: date,
    min_months: int = _DEFAULTS.second_home_min_passport_months,
) -> RuleOutcome:
    """Passport valid at least ``min_months`` calendar months on the application date.

    Exactly ``min_months`` months is met (expiry on application date + months); a day less is not.
    """
    # SE IMI-0740.GR.01.01/2022: passport valid at least 36 months, principal and dependants.
    required_until = add_months(application_date, min_months)
    remaining = months_days_between(application_date, passport_expires_on)
    met = passport_expires_on >= required_until
    verdict_id = "memenuhi" if met else "tidak memenuhi"
    verdict_en = "met" if met else "not met"
    return RuleOutcome(
        rule_id="second_home.passport_validity",
        met=met,
        subject=subject,
        figure=remaining,
        threshold=MonthsDays(min_months, 0),
        message_id=(
            f"Paspor {subject} {_validity_id(remaining, application_date)} "
            f"(berlaku sampai {_date_id(passport_expires_on)}); "
            f"syarat {min_months} bulan: {verdict_id}."
        ),
        message_en=(
            f"{subject}'s passport {_validity_en(remaining, application_date)} "
            f"(valid until {_date_en(passport_expires_on)}); required {min_months} months: "
            f"{verdict_en}."
        ),
    )


def _bank_keys(name: str) -> set[str]:
    """Comparable forms of a bank name: its distinctive words, and initials of long names."""
    words = [w for w in re.split(r"[^a-z0-9]+", fold(name)) if w and not w.isdigit()]
    words = [w for w in words if w not in {"pt", "persero", "tbk"}]
    keys = {" ".join(w for w in words if w != "bank")}
    # "Bank Negara Indonesia" -> "bni"; two-word names are skipped ("Bank Muamalat" is not "BM").
    if len(words) >= 3:
        keys.add("".join(w[0] for w in words))
    return keys - {""}


def state_bank(name: str, state_banks: Sequence[str] = _DEFAULTS.second_home_state_banks) -> str:
    """The listed state bank ``name`` refers to ("Bank Negara Indonesia" -> "BNI"), or ``""``."""
    keys = _bank_keys(name)
    for listed in state_banks:
        if keys & _bank_keys(listed):
            return listed
    return ""


def check_proof_of_means(
    funds_idr: int | None,
    bank: str | None,
    owns_property: bool,
    min_funds_idr: int = _DEFAULTS.second_home_min_funds_idr,
    state_banks: Sequence[str] = _DEFAULTS.second_home_state_banks,
    subject: str = PRINCIPAL,
) -> RuleOutcome:
    """Funds of at least ``min_funds_idr`` rupiah in a listed state bank, or property owned."""
    # SE IMI-0740.GR.01.01/2022: Rp 2 billion in a state-owned bank, or property in Indonesia.
    threshold = format_rupiah(min_funds_idr)
    if owns_property:
        return RuleOutcome(
            rule_id="second_home.proof_of_means",
            met=True,
            subject=subject,
            figure="property",
            threshold=min_funds_idr,
            message_id="Bukti kepemilikan properti di Indonesia: memenuhi (dana tidak diperlukan).",
            message_en="Proof of property ownership in Indonesia: met (funds not needed).",
        )
    amount = funds_idr or 0
    listed = state_bank(bank or "", state_banks)
    enough = amount >= min_funds_idr
    met = enough and bool(listed)
    where_id = f"di {listed}" if listed else f"di bank bukan BUMN ({bank or 'tidak disebut'})"
    where_en = f"in {listed}" if listed else f"in a non-state bank ({bank or 'none given'})"
    return RuleOutcome(
        rule_id="second_home.proof_of_means",
        met=met,
        subject=subject,
        figure=amount,
        threshold=min_funds_idr,
        message_id=(
            f"Dana {format_rupiah(amount)} {where_id}; syarat paling sedikit {threshold} di bank "
            f"BUMN ({', '.join(state_banks)}) atau bukti properti: "
            f"{'memenuhi' if met else 'tidak memenuhi'}."
        ),
        message_en=(
            f"Funds {format_rupiah(amount, 'en')} {where_en}; required at least "
            f"{format_rupiah(min_funds_idr, 'en')} in a state-owned bank "
            f"({', '.join(state_banks)}) or proof of property: {'met' if met else 'not met'}."
        ),
    )


def check_stay_years(
    stay_years: int, allowed: Sequence[int] = ALLOWED_STAY_YEARS, subject: str = PRINCIPAL
) -> RuleOutcome:
    """The requested stay, in years, is one of ``allowed`` (5 or 10)."""
    # SE IMI-0740.GR.01.01/2022: Second Home stay of 5 or 10 years.
    met = stay_years in allowed
    choices = " / ".join(str(years) for years in allowed)
    return RuleOutcome(
        rule_id="second_home.stay_years",
        met=met,
        subject=subject,
        figure=stay_years,
        threshold=tuple(allowed),
        message_id=(
            f"Lama tinggal yang dimohon {stay_years} tahun; yang diizinkan {choices} tahun: "
            f"{'memenuhi' if met else 'tidak memenuhi'}."
        ),
        message_en=(
            f"Requested stay {stay_years} years; allowed {choices} years: "
            f"{'met' if met else 'not met'}."
        ),
    )


# Folded relation words (Indonesian and English) to the stored relation.
RELATIONS: dict[str, str] = {
    **dict.fromkeys(
        ["spouse", "husband", "wife", "suami", "istri", "isteri", "pasangan", "suami/istri"],
        "spouse",
    ),
    **dict.fromkeys(
        ["child", "son", "daughter", "anak", "anak kandung", "putra", "putri"], "child"
    ),
    **dict.fromkeys(
        ["parent", "father", "mother", "orang tua", "orangtua", "ayah", "ibu", "bapak"], "parent"
    ),
}


def canonical_relation(text: str) -> str | None:
    """``"spouse"``, ``"child"`` or ``"parent"`` for a relation in either language, else None."""
    return RELATIONS.get(fold(text))


def check_dependant_relation(subject: str, relation: str) -> RuleOutcome:
    """A dependant is the principal's spouse, child or parent."""
    # SE IMI-0740.GR.01.01/2022: spouse, children and parents may join as dependants.
    canonical = canonical_relation(relation)
    met = canonical is not None
    shown_id = RELATION_CHOICES.label(canonical, "id").lower() if canonical else relation
    return RuleOutcome(
        rule_id="second_home.dependant_relation",
        met=met,
        subject=subject,
        figure=canonical or relation,
        threshold="spouse / child / parent",
        message_id=(
            f"Hubungan {subject} dengan pemohon utama: {shown_id}; yang diizinkan pasangan, anak "
            f"atau orang tua: {'memenuhi' if met else 'tidak memenuhi'}."
        ),
        message_en=(
            f"{subject}'s relation to the principal: {canonical or relation}; allowed spouse, "
            f"child or parent: {'met' if met else 'not met'}."
        ),
    )


def evaluate_case(case: SecondHomeCase, settings: Settings | None = None) -> list[RuleOutcome]:
    """Every rule for the principal and each dependant, thresholds from ``settings``."""
    settings = settings or _DEFAULTS
    months = settings.second_home_min_passport_months
    outcomes = [
        check_passport_validity(
            case.principal_name, case.passport_expires_on, case.application_date, months
        ),
        check_proof_of_means(
            case.funds_idr,
            case.bank,
            case.owns_property,
            settings.second_home_min_funds_idr,
            settings.second_home_state_banks,
            subject=case.principal_name,
        ),
        check_stay_years(case.stay_years, subject=case.principal_name),
    ]
    for dependant in case.dependants:
        outcomes.append(check_dependant_relation(dependant.name, dependant.relation))
        outcomes.append(
            check_passport_validity(
                dependant.name, dependant.passport_expires_on, case.application_date, months
            )
        )
    return outcomes


def unmet(outcomes: Sequence[RuleOutcome]) -> list[RuleOutcome]:
    """The outcomes whose rule is not met, in their original order."""
    return [outcome for outcome in outcomes if not outcome.met]


# --- amounts -------------------------------------------------------------------------------


class InvalidAmount(ValueError):
    """A rupiah amount that cannot be accepted; ``code`` is stable, messages are for people."""

    def __init__(self, code: str, message_id: str, message_en: str) -> None:
        super().__init__(message_id)
        self.code = code
        self.message_id = message_id
        self.message_en = message_en


_GROUPED = re.compile(r"\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+")
_WITH_SEN = re.compile(r"[\d.,' ]*\d[.,]\d{1,2}")


def parse_rupiah(text: str) -> int:
    """Whole rupiah from "2000000000", "2.000.000.000", "Rp 2.000.000.000" or "2,000,000,000".

    Raises :class:`InvalidAmount` (a ValueError) with code ``empty``, ``negative``, ``sen``,
    ``not_a_number`` or ``too_large`` (over 10^15 rupiah).
    """
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    cleaned = re.sub(r"^(rp\.?|idr)\s*", "", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"[.,]-$", "", cleaned)  # "Rp 5.000,-" is the usual "no sen" mark
    if not cleaned:
        raise InvalidAmount("empty", "Jumlah harus diisi.", "Enter an amount.")
    if cleaned.startswith(("-", "\u2212")) or (cleaned.startswith("(") and cleaned.endswith(")")):
        raise InvalidAmount(
            "negative", "Jumlah tidak boleh negatif.", "The amount cannot be negative."
        )
    if not _GROUPED.fullmatch(cleaned):
        if _WITH_SEN.fullmatch(cleaned):
            raise InvalidAmount(
                "sen",
                "Tulis jumlah dalam rupiah utuh, tanpa sen.",
                "Write the amount in whole rupiah, without sen.",
            )
        raise InvalidAmount(
            "not_a_number",
            "Jumlah harus berupa angka, misalnya 2.000.000.000.",
            "The amount must be a number, for example 2,000,000,000.",
        )
    amount = int(re.sub(r"[., ]", "", cleaned))
    if amount > MAX_PLAUSIBLE_IDR:
        raise InvalidAmount(
            "too_large",
            "Jumlah terlalu besar untuk masuk akal; periksa kembali.",
            "The amount is implausibly large; check it again.",
        )
    return amount


# --- deadlines and permit dates ------------------------------------------------------------


def proof_deadline(issued_on: date, days: int = _DEFAULTS.second_home_proof_deadline_days) -> date:
    """Last day to lodge the bank letter or property certificate: ``days`` after issue."""
    # SE IMI-0740.GR.01.01/2022: proof within 90 days of issue, else revocation and deportation.
    return issued_on + timedelta(days=days)


def proof_days_left(
    issued_on: date, today: date, days: int = _DEFAULTS.second_home_proof_deadline_days
) -> int:
    """Calendar days from ``today`` to the deadline: 0 on the last day, negative when overdue."""
    return (proof_deadline(issued_on, days) - today).days


def is_proof_overdue(
    issued_on: date, today: date, days: int = _DEFAULTS.second_home_proof_deadline_days
) -> bool:
    """True once the deadline day has passed without the proof lodged."""
    return proof_days_left(issued_on, today, days) < 0


def dependant_expiry(principal_expires_on: date, requested: date) -> date:
    """A dependant's permit end date: the requested date, never after the principal's."""
    # SE IMI-0740.GR.01.01/2022: a dependant's permit falls with the principal's.
    return min(principal_expires_on, requested)
