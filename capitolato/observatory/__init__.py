"""The observatory: many tenders of a district or metropolitan area read into one database, scored against shared
guidelines, ranked with reasons (`capitolato osservatorio`).

`observe(paths, out_dir, load_guidelines(file))` is the library API; the engine reuses check (specs) and the audit
(Word/PDF documents) and keeps everything in a DuckDB file beside the report. Imported only by that command.
"""

from capitolato.observatory.engine import DATABASE_NAME, Observation, observe
from capitolato.observatory.guidelines import Guidelines, load_guidelines

__all__ = ["DATABASE_NAME", "Guidelines", "Observation", "load_guidelines", "observe"]
