"""Convert a .docx to an archival, tagged PDF (PDF/A-2b) with LibreOffice in headless mode.

LibreOffice does not rebuild a Word table of contents when it opens a .docx,
so the conversion runs a small Basic macro, installed in a throw-away
profile, that updates the indexes before exporting. If the macro route
fails, a plain ``--convert-to`` still yields the PDF (with the TOC as saved).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from capitolato.render.errors import LibreOfficeMissing, PdfConversionError

PDF_FILTER = (
    'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
    '"UseTaggedPDF":{"type":"boolean","value":"true"}}'
)
TIMEOUT_SECONDS = 180
_EXECUTABLES = ("soffice", "libreoffice")
_MODULE = "CapitolatoPdf"
_BASIC = """
Function Pv(sName As String, vValue) As com.sun.star.beans.PropertyValue
  Dim p As New com.sun.star.beans.PropertyValue
  p.Name = sName
  p.Value = vValue
  Pv = p
End Function

Sub Esporta(sIn As String, sOut As String)
  Dim oDoc As Object
  Dim i As Integer, n As Integer
  oDoc = StarDesktop.loadComponentFromURL(sIn, "_blank", 0, Array(Pv("Hidden", True)))
  For n = 1 To 2
    For i = 0 To oDoc.getDocumentIndexes().getCount() - 1
      oDoc.getDocumentIndexes().getByIndex(i).update()
    Next i
    oDoc.getTextFields().refresh()
  Next n
  Dim aFilter(1) As New com.sun.star.beans.PropertyValue
  aFilter(0) = Pv("SelectPdfVersion", 2)
  aFilter(1) = Pv("UseTaggedPDF", True)
  oDoc.storeToURL(sOut, Array(Pv("FilterName", "writer_pdf_Export"), Pv("FilterData", aFilter)))
  oDoc.close(True)
  StarDesktop.terminate()
End Sub
"""
_DOCTYPE = '<!DOCTYPE {root} PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{dtd}">'


def find_soffice() -> str:
    """Path of the LibreOffice executable, or ``LibreOfficeMissing`` with install advice."""
    for name in _EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    raise LibreOfficeMissing(
        "Per generare il PDF serve LibreOffice, che non risulta installato. "
        "Installarlo (ad esempio con «sudo apt-get install libreoffice-writer» su Debian/Ubuntu, "
        "oppure da https://it.libreoffice.org) e riprovare."
    )


def docx_to_pdf(docx: Path, out_dir: Path, timeout: float = TIMEOUT_SECONDS) -> Path:
    """Write ``out_dir/<docx stem>.pdf`` (PDF/A-2b, tagged, TOC updated) and return its path."""
    soffice = find_soffice()
    docx = Path(docx).resolve()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{docx.stem}.pdf"
    with tempfile.TemporaryDirectory(prefix="capitolato-lo-") as tmp:
        profile = Path(tmp) / "profilo"
        base = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                "--nologo", "--nolockcheck"]
        _run([*base, "--terminate_after_init"], timeout)
        if _install_macro(profile):
            _run([*base, f'macro:///Standard.{_MODULE}.Esporta("{docx.as_uri()}","{target.as_uri()}")'], timeout)
        if not target.exists():
            result = _run([*base, "--convert-to", PDF_FILTER, "--outdir", str(out_dir), str(docx)], timeout)
            if not target.exists():
                detail = (result.stderr or result.stdout).strip().splitlines()
                raise PdfConversionError(
                    f"LibreOffice non ha prodotto il PDF di «{docx.name}»" + (f": {detail[-1]}" if detail else ".")
                )
    return target


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PdfConversionError(f"LibreOffice non ha completato la conversione in PDF entro {timeout:.0f} secondi.") from exc


def _install_macro(profile: Path) -> bool:
    """Add the export macro to the profile's Standard library (trusted: it is the user's own)."""
    library = profile / "user" / "basic" / "Standard"
    index = library / "script.xlb"
    if not index.exists():
        return False
    (library / f"{_MODULE}.xba").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + _DOCTYPE.format(root="script:module", dtd="module.dtd") + "\n"
        + f'<script:module xmlns:script="http://openoffice.org/2000/script" script:name="{_MODULE}" '
        + f'script:language="StarBasic">{escape(_BASIC, {chr(34): "&quot;"})}</script:module>\n',
        encoding="utf-8",
    )
    modules = sorted({p.stem for p in library.glob("*.xba")})
    elements = "".join(f'\n <library:element library:name="{name}"/>' for name in modules)
    index.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + _DOCTYPE.format(root="library:library", dtd="library.dtd") + "\n"
        + '<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" '
        + f'library:readonly="false" library:passwordprotected="false">{elements}\n</library:library>\n',
        encoding="utf-8",
    )
    return True
