"""The verification QR code, as inline SVG that WeasyPrint draws natively (no image fetch)."""

from __future__ import annotations

import segno


def qr_svg(url: str, *, border: int = 4) -> str:
    """An ``<svg>`` element encoding ``url`` (error correction M), sized by CSS.

    ``border`` is the quiet zone in modules; scanners need 4.
    """
    code = segno.make(url, error="m", micro=False, boost_error=False)
    return str(code.svg_inline(border=border, omitsize=True, dark="#000"))
