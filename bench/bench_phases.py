"""Where the time of `capitolato check` and `build` on Melzo goes, phase by phase (issue 21).

Each round is a fresh interpreter that imports, loads and checks step by step and reports the CPU time of each
step (user + system, steadier than wall time on a loaded machine); the phases are printed min / median / max over
the rounds. Run from the repository root: ``python bench/bench_phases.py [--runs N]``. The disk cache is on (the
first round fills it) and bytecode files are written, as for an installed package.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

ROUND = r'''
import json, os, sys, time
marks, last = [], time.process_time()
def mark(name):
    global last
    now = time.process_time()
    marks.append((name, (now - last) * 1000))
    last = now
import typer; mark("import typer (il pavimento)")
import rich.console; mark("import rich.console (uscita)")
import capitolato.cli.app; mark("import capitolato.cli.app (comandi registrati)")
import ruamel.yaml; mark("import ruamel.yaml")
import capitolato.model.tender, capitolato.library.model; mark("import pydantic e modelli (classi, schema differito)")
import jinja2; mark("import jinja2")
import markdown_it; mark("import markdown_it")
import capitolato.rules.registry, capitolato.rules.engine, capitolato.rules.report; mark("import regole e rapporti")
from capitolato import load_library, load_spec
from capitolato.rules import check_and_assemble
from capitolato.spec.load import spec_libraries
import capitolato.document.assemble, capitolato.library.render; mark("import altri moduli di capitolato")
spec = load_spec(sys.argv[1]); mark("load_spec (YAML, schema del modello, validazione, clausole)")
library = load_library(spec_libraries(spec)); mark("libreria delle clausole (cache su disco)")
findings, documents = check_and_assemble(spec, library); mark("regole (con i documenti montati)")
from capitolato.document.build import build
mark("import build")
build(spec, sys.argv[2], ["docx"], library=library, documents=documents, force=True); mark("typeset + .docx scritti")
print(json.dumps(marks))
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    env = {name: value for name, value in os.environ.items()
           if name not in {"PYTHONDONTWRITEBYTECODE", "CAPITOLATO_NO_CACHE", "CAPITOLATO_INDICE"}}
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    spec = REPO / "examples" / "melzo-servizi-persona" / "capitolato.yaml"
    phases: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        env["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
        for index in range(options.runs + 1):
            result = subprocess.run([sys.executable, "-c", ROUND, str(spec), str(Path(scratch) / "out")],
                                    capture_output=True, text=True, env=env, cwd=REPO, check=True)
            if index == 0:
                continue  # the warm-up round fills the disk cache
            for name, value in json.loads(result.stdout.splitlines()[-1]):
                phases.setdefault(name, []).append(value)
    for name, values in phases.items():
        print(f"{name:<62} min {min(values):6.1f} · mediana {statistics.median(values):6.1f} · "
              f"max {max(values):6.1f} ms CPU")
    totals = [sum(values[i] for values in phases.values()) for i in range(options.runs)]
    print(f"{'totale':<62} min {min(totals):6.1f} · mediana {statistics.median(totals):6.1f} · "
          f"max {max(totals):6.1f} ms CPU ({options.runs} processi)")


if __name__ == "__main__":
    main()
