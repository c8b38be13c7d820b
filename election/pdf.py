"""PDF documents (the credentials report, later the vote-count minutes) rendered by
WeasyPrint from the same HTML templates the pages use.

Why it is set up this way:

* Nothing is fetched while rendering. The hall network is offline, and a document built
  from roster data must not be able to make the server open URLs: the URL fetcher allows
  only ``data:`` URLs (images embedded in the HTML), and the stylesheet is read from
  ``election/static/css/pdf.css`` by path, never through a URL.
* Fonts are the machine's (fontconfig): DejaVu (Debian ``fonts-dejavu-core``) or Noto carry
  every Vietnamese letter with its diacritics. WeasyPrint embeds the subset used, so the
  PDF reads the same on any computer. ``scripts/debian-packages.sh`` installs Pango,
  HarfBuzz's subsetter and the fonts.
* WeasyPrint is imported on first use: it loads Pango through ctypes-like bindings, which
  the rest of the app (and the record verifier) has no need for.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from election.paths import STATIC_DIR

__all__ = ["PDF_STYLESHEET", "PdfError", "render_pdf"]

#: The print stylesheet every PDF document uses.
PDF_STYLESHEET = STATIC_DIR / "css" / "pdf.css"


class PdfError(RuntimeError):
    """WeasyPrint or the libraries it needs (Pango, fonts) are missing or failed."""


def render_pdf(html: str, *, stylesheets: Sequence[Path] = (PDF_STYLESHEET,)) -> bytes:
    """Render the HTML document ``html`` to PDF bytes with ``stylesheets`` applied.

    Raises ``PdfError`` when WeasyPrint cannot be loaded (e.g. Pango is not installed).
    """
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as e:
        raise PdfError(
            f"WeasyPrint cannot be loaded ({e}): install its Debian libraries with "
            "`bash scripts/debian-packages.sh --install` (as root)"
        ) from e
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    css = [weasyprint.CSS(filename=str(path), url_fetcher=fetcher) for path in stylesheets]
    pdf = document.write_pdf(stylesheets=css)
    if not isinstance(pdf, bytes):  # pragma: no cover - write_pdf without a target returns bytes
        raise PdfError("WeasyPrint returned no PDF")
    return pdf
