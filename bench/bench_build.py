"""Time the whole document pipeline: a synthetic 35-page tender in process, and `capitolato build` as a fresh process.

Targets (issue 6): in-process assembly + .docx of a tender with 30 articles, 60 clauses and 5 tables ≤ 60 ms;
`capitolato build` on the Melzo example ≤ 350 ms as a fresh process on a 2-core machine.
Run from the repository root: ``python bench/bench_build.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from timing import report, timed  # noqa: E402
from capitolato import load_library, load_spec  # noqa: E402
from capitolato.document.assemble import assemble  # noqa: E402
from capitolato.document.build import document_meta  # noqa: E402
from capitolato.document.model import Table, text_of, walk  # noqa: E402
from capitolato.render.document import render_bytes  # noqa: E402

MELZO = REPO / "examples" / "melzo-servizi-persona"
RUNS = 20
FRESH_RUNS = 10




def synthetic_tender(folder: Path) -> Path:
    """The Melzo spec with 60 clauses (the shipped 42 plus 18 ente copies) placed across the articles."""
    library_dir = folder / "libreria"
    library_dir.mkdir()
    shipped = [c for c in load_library() if c.placement.document.value in ("capitolato-speciale", "disciplinare")]
    ids = []
    for index in range(60):
        source = shipped[index % len(shipped)]
        new_id = f"{source.id}-{index}"
        text = source.path.read_text(encoding="utf-8").replace(f"id: {source.id}\n", f"id: {new_id}\n", 1)
        (library_dir / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        ids.append((new_id, source))
    spec_text = (MELZO / "capitolato.yaml").read_text(encoding="utf-8").split("\nclausole:")[0].split("\nderoghe:")[0]
    entries = ["libreria: libreria", "clausole:"]
    from capitolato.library.sample import sample_parameters

    melzo = load_spec(MELZO)
    for new_id, source in ids:
        entries.append(f"  - id: {new_id}")
        params = {k: v for k, v in sample_parameters(source, melzo).items()
                  if source.parameters[k].required}
        if params:
            entries.append("    parametri:")
            entries += [f"      {k}: {_yaml(v)}" for k, v in params.items()]
    path = folder / "capitolato.yaml"
    path.write_text(spec_text.rstrip() + "\n" + "\n".join(entries) + "\n", encoding="utf-8")
    return path


def _yaml(value: object) -> str:
    """A parameter value as YAML flow text (JSON is YAML; dates and decimals stay typed)."""
    import datetime as dt
    import json
    from decimal import Decimal

    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        spec_path = synthetic_tender(folder)
        spec = load_spec(spec_path)
        library = load_library([folder / "libreria"])
        documents = assemble(spec, library)
        words = sum(len(text_of(d).split()) for d in documents)
        articles = sum(len(d.articles) for d in documents)
        tables = sum(isinstance(b, Table) for d in documents for b in walk(d.blocks))
        print(f"gara sintetica: {len(spec.clauses)} clausole, {articles} articoli, {tables} tabelle, {words} parole")
        out = folder / "out"
        out.mkdir()

        def render_all() -> None:
            for document in assemble(spec, library):
                (out / f"{document.kind}.docx").write_bytes(
                    render_bytes(document, document_meta(spec, document, False), "docx"))

        render_all()
        report("assemblaggio + docx in processo", timed(render_all, RUNS))

        capitolato = shutil.which("capitolato") or str(Path(sys.executable).parent / "capitolato")
        command = [capitolato, "build", str(MELZO), "-o", str(folder / "melzo"), "--force"]
        subprocess.run(command, check=True, capture_output=True)
        report("capitolato build (Melzo, processo nuovo)",
                timed(lambda: subprocess.run(command, check=True, capture_output=True), FRESH_RUNS))


if __name__ == "__main__":
    main()
