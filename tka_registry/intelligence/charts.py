"""Charts drawn on the server as SVG, readable on screen, to a screen reader and on paper.

Every bar carries its label and its number in text, and is filled with a black hatch inside a
black outline, so a black-and-white print loses nothing that colour carried. Each chart has a
``<title>`` and ``<desc>`` (role="img"), and pages print the same numbers in a table beside it.
"""

from __future__ import annotations

from html import escape

from tka_registry import formats

# Sized to be read at a glance at the page's body text size (14 px text, 20 px bars), black on
# white (WCAG contrast 21:1).
LABEL_WIDTH = 190
ROW_HEIGHT = 30
BAR_HEIGHT = 20
VALUE_ROOM = 70
FONT = 'font-family="sans-serif" font-size="14" fill="#000000"'


def _hatch(pattern_id: str) -> str:
    return (
        f'<defs><pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#000000" stroke-width="2"/>'
        "</pattern></defs>"
    )


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{_hatch(chart_id + '-hatch')}"
    )


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: list[tuple[str, int]],
    *,
    language: str,
    empty: str,
    width: int = 720,
) -> str:
    """A horizontal bar chart: one labelled, numbered, hatched bar per (label, value); numbers
    in ``language``, ``empty`` written when there are no bars."""
    height = max(1, len(bars)) * ROW_HEIGHT + 10
    longest = max((value for _, value in bars), default=0) or 1
    room = width - LABEL_WIDTH - VALUE_ROOM
    parts = [_open(chart_id, width, height, title, description)]
    for row, (label, value) in enumerate(bars):
        y = 5 + row * ROW_HEIGHT
        length = round(room * value / longest)
        parts.append(
            f'<g><text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 5}" text-anchor="end"'
            f" {FONT}>{escape(label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 1)}" height="{BAR_HEIGHT}"'
            f' fill="url(#{chart_id}-hatch)" stroke="#000000" stroke-width="1"/>'
            f'<text x="{LABEL_WIDTH + length + 5}" y="{y + BAR_HEIGHT - 5}"'
            f" {FONT}>{formats.number(value, language)}</text></g>"
        )
    if not bars:
        parts.append(f'<text x="10" y="20" {FONT}>{escape(empty)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    chart_id: str,
    title: str,
    description: str,
    columns: list[tuple[str, int]],
    *,
    language: str,
    width: int = 900,
    height: int = 280,
) -> str:
    """A vertical column chart (one column per month, say), each labelled and numbered (in
    ``language``)."""
    top, bottom = 24, 40
    room = height - top - bottom
    step = width / max(1, len(columns))
    tallest = max((value for _, value in columns), default=0) or 1
    parts = [_open(chart_id, width, height, title, description)]
    parts.append(
        f'<line x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"'
        ' stroke="#000000" stroke-width="1"/>'
    )
    for index, (label, value) in enumerate(columns):
        x = index * step
        length = round(room * value / tallest)
        y = height - bottom - length
        middle = x + step / 2
        parts.append(
            f'<g><rect x="{x + step * 0.15:.1f}" y="{y}" width="{step * 0.7:.1f}"'
            f' height="{max(length, 0)}" fill="url(#{chart_id}-hatch)" stroke="#000000"'
            f' stroke-width="1"/>'
            f'<text x="{middle:.1f}" y="{y - 4}" text-anchor="middle" {FONT}>'
            f"{formats.number(value, language)}</text>"
            f'<text x="{middle:.1f}" y="{height - bottom + 20}" text-anchor="middle" {FONT}>'
            f"{escape(label)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
