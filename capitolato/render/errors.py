"""Errors raised while rendering; part of the one hierarchy the CLI turns into exit code 2."""

from __future__ import annotations

from capitolato.errors import Location, Problem
from capitolato.errors import RenderError as _LocatedRenderError


class RenderError(_LocatedRenderError):
    """A rendering failure with an Italian ``message``, located at ``where`` (a file, or the output)."""

    def __init__(self, message: str, where: str | Location = "<documento>") -> None:
        location = where if isinstance(where, Location) else Location(str(where))
        super().__init__([Problem(location, message)])
        self.message = message


class ReferenceDocError(RenderError):
    """The reference .docx supplied by the user cannot be used safely."""


class TabellaError(RenderError):
    """A ```tabella``` block does not describe a valid table."""


class LogoError(RenderError):
    """The logo file is missing or is not an image Word can embed."""


class LibreOfficeMissing(RenderError):
    """PDF conversion needs LibreOffice, which is not installed."""


class PdfConversionError(RenderError):
    """LibreOffice ran but did not produce the PDF."""
