"""The check-in QR code, drawn on the server as SVG.

The matrix comes from ReportLab's QR encoder (``reportlab.graphics.barcode.qrencoder``: versions chosen by
length, Reed–Solomon error correction, mask selection), already a dependency for the PDF reports; this module
only draws it: one path of unit squares with the four-module quiet zone the standard requires, black on white,
scaled by the viewBox so a phone shows it as large as it likes.
"""

from __future__ import annotations

from html import escape

from reportlab.graphics.barcode import qrencoder

QUIET = 4  # modules of white around the code (ISO/IEC 18004)


def matrix(text: str) -> list[list[bool]]:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    n = code.getModuleCount()
    return [[bool(code.isDark(r, c)) for c in range(n)] for r in range(n)]


def svg(text: str, *, title: str = "签到二维码") -> str:
    """An SVG document of the QR code for ``text``."""
    modules = matrix(text)
    size = len(modules) + 2 * QUIET
    path = "".join(
        f"M{c + QUIET} {r + QUIET}h1v1h-1z"
        for r, row in enumerate(modules)
        for c, dark in enumerate(row)
        if dark
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    )
