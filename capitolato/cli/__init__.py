"""Thin command-line layer: parses arguments, calls the library, prints. Only this package prints."""
