"""The verification QR code, as an inline PNG (a ``data:`` URI): nothing is fetched.

A PNG image costs WeasyPrint almost nothing to place, where the SVG path of a version-10 QR code
took a large share of the render (bench/bench_documents.py). Modules are 4 pixels wide so the
code stays sharp whatever the viewer's image smoothing.
"""

from __future__ import annotations

import base64
import io

import segno

PNG_DATA_PREFIX = "data:image/png;base64,"


def qr_png_data_uri(url: str, *, border: int = 4, scale: int = 4) -> str:
    """A ``data:image/png`` URI of a QR code (error correction M) encoding ``url``.

    ``border`` is the quiet zone in modules (scanners need 4); ``scale`` pixels per module.
    """
    code = segno.make(url, error="m", micro=False, boost_error=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=border)
    return PNG_DATA_PREFIX + base64.b64encode(buffer.getvalue()).decode("ascii")
