"""Renderers of the typed document: Word, HTML, Markdown and PDF (through Word and LibreOffice)."""
