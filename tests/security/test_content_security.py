"""Page templates hold no inline script, style or event handler: the Content-Security-Policy
(``script-src 'self'; style-src 'self'``) would block them in the browser."""

from __future__ import annotations

import re
from pathlib import Path

from tka_registry.web.templating import PAGES_DIR

INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "<style> block": re.compile(r"<style[\s>]", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
# Pages known to break the policy today, reported to their owners: move the rules into the
# stylesheet under /static and delete the line here. A page not listed may not break it.
KNOWN_OFFENDERS: dict[str, set[str]] = {}


def _offences() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for template in sorted(Path(PAGES_DIR).rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        kinds = {kind for kind, pattern in INLINE.items() if pattern.search(text)}
        if kinds:
            found[str(template.relative_to(PAGES_DIR))] = kinds
    return found


def test_no_new_page_uses_inline_script_or_style() -> None:
    new = {
        name: kinds - KNOWN_OFFENDERS.get(name, set())
        for name, kinds in _offences().items()
        if kinds - KNOWN_OFFENDERS.get(name, set())
    }
    assert not new, f"inline code the CSP blocks (move it to /static): {new}"


def test_the_scan_sees_the_templates() -> None:
    assert any(Path(PAGES_DIR).rglob("base.html"))
    assert INLINE["<style> block"].search("<style>\n") and not INLINE["style attribute"].search(
        '<link rel="stylesheet">'
    )
