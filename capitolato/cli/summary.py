"""The closing line of `validate`, `check` and `build`: what happened to each tender, in correct Italian."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str) -> str:
    """«1 gara generata», «2 gare generate»: the noun phrase agrees with the number."""
    return f"{number} {singular if number == 1 else plural}"


def check_line(findings: str, checked: int, failed: int) -> str:
    """Findings of the checked tenders, and the tenders that could not be checked because of input errors."""
    unread = counted(failed, "capitolato con errori di input", "capitolati con errori di input")
    if not checked:
        return f"{unread}: nessun controllo eseguito"
    if not failed:
        return f"{findings} ({counted(checked, 'capitolato', 'capitolati')})"
    return f"{findings} ({counted(checked, 'capitolato controllato', 'capitolati controllati')}); {unread}"


def build_line(built: int, files: int, blocked: int, failed: int) -> str:
    """Tenders built (with the files written), blocked by the check, or stopped by input errors."""
    parts = []
    if built:
        parts.append(f"{counted(built, 'gara generata', 'gare generate')} ({counted(files, 'file scritto', 'file scritti')})")
    if blocked:
        parts.append(counted(blocked, "gara bloccata dal controllo", "gare bloccate dal controllo"))
    if failed:
        parts.append(counted(failed, "gara con errori di input", "gare con errori di input"))
    total = built + blocked + failed
    line = ", ".join(parts) or "nessuna gara"
    return line if len(parts) <= 1 else f"{line} (su {counted(total, 'gara', 'gare')})"


def validate_line(valid: int, failed: int) -> str:
    if not failed:
        return counted(valid, "capitolato valido", "capitolati validi")
    unread = counted(failed, "capitolato con errori di input", "capitolati con errori di input")
    return f"{unread}, {counted(valid, 'valido', 'validi')}" if valid else unread
