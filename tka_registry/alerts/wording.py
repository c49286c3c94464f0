"""The words of alert emails: stage labels, day counts, dates and rupiah in Indonesian and English,
and the one Jinja2 environment that renders ``templates/emails/``.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tka_registry import formats
from tka_registry.alerts.stages import (
    BEFORE_PREFIX,
    OVERSTAY_PREFIX,
    PROOF_PREFIX,
    UnknownStage,
    stage_offset_days,
)
from tka_registry.folders import TEMPLATES_DIR

EMAIL_TEMPLATES = TEMPLATES_DIR / "emails"


@cache
def environment() -> Environment:
    """Jinja2 environment for email templates; HTML autoescaped, text parts left as written."""
    return Environment(
        loader=FileSystemLoader(EMAIL_TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, values: dict[str, Any]) -> str:
    """Render ``templates/emails/<template>`` with ``values``."""
    return environment().get_template(template).render(values)


def rupiah(amount_idr: int) -> str:
    """``1000000`` as ``Rp 1.000.000`` (Indonesian digit grouping with dots)."""
    return "Rp " + f"{amount_idr:,}".replace(",", ".")


@cache
def long_date(day: date, language: str) -> str:
    """``12 Maret 2026`` in Indonesian, ``12 March 2026`` in English."""
    return formats.long_date(day, "id" if language == "id" else "en")


def days_text(remaining: int, language: str, *, proof: bool = False) -> str:
    """Days left (``remaining`` > 0), the day itself (0) or days past (< 0), in words."""
    if language == "id":
        if remaining > 0:
            return f"{remaining} hari lagi"
        if remaining == 0:
            return "hari ini"
        return f"lewat {-remaining} hari" if proof else f"overstay {-remaining} hari"
    if remaining > 0:
        return f"{remaining} day{'s' if remaining != 1 else ''} left"
    if remaining == 0:
        return "today"
    past = -remaining
    unit = f"{past} day{'s' if past != 1 else ''}"
    return f"{unit} past" if proof else f"{unit} overstayed"


def stage_label(stage: str, language: str) -> str:
    """A reader's name for a stage string such as ``before-30`` or ``overstay-14``."""
    number = abs(stage_offset_days(stage))  # raises UnknownStage for a foreign name
    indonesian = language == "id"
    if stage.startswith(BEFORE_PREFIX):
        if number == 0:
            return "hari habis berlaku" if indonesian else "expiry day"
        return f"{number} hari sebelum habis" if indonesian else f"{number} days before expiry"
    if stage.startswith(OVERSTAY_PREFIX):
        return f"overstay {number} hari" if indonesian else f"{number} days overstayed"
    if stage.startswith(PROOF_PREFIX):
        if number == 0:
            return "batas bukti Rumah Kedua" if indonesian else "Second Home proof deadline"
        if indonesian:
            return f"{number} hari sebelum batas bukti"
        return f"{number} days before proof deadline"
    raise UnknownStage(stage)
