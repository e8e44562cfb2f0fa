"""How far `capitolato` is from the floor that Python and Typer set (issue 21), and whether its cost is linear.

Run from the repository root: ``python bench/bench_startup_ratio.py [--runs N] [--no-curve]``.

1. Fresh processes, alternated in one run so that every command sees the same load of the machine:
   `capitolato --help` against the `--help` of a minimal two-command Typer app written to a temporary folder;
   `capitolato check` and `capitolato build … --formato docx` on the Melzo example against one command of that app,
   the build with the Word index as a field (`CAPITOLATO_INDICE=campo`); the check twice: with its result cache
   emptied before each run (the check runs, the library and template caches are warm) and with the result cached; with `--indice` also the default build,
   whose index page numbers LibreOffice computes (issue 17). Min / median / max of each, and the ratio of the medians (the figure the goals are
   stated in). The processes run with the disk cache on and with bytecode files written (PYTHONDONTWRITEBYTECODE
   is dropped: an installed package has its .pyc files; without them every process compiles our modules again).
2. In-process curve: `check()` and the document pipeline (assemble + .docx) on Melzo with 1×, 10× and 100× its
   clauses and award criteria (copies with new ids and codes), each divided by the 1× time.
"""

from __future__ import annotations

import argparse
import copy as copy_module
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from timing import report, timed  # noqa: E402

MELZO = REPO / "examples" / "melzo-servizi-persona"
MAX_CRITERIA = 100  # the spec's bound on one list of criteria: the 100× tender stops there

MINIMAL_APP = '''\
import typer

app = typer.Typer()


@app.command()
def ciao(nome: str) -> None:
    """Saluta."""
    typer.echo(f"ciao {nome}")


@app.command()
def addio(nome: str) -> None:
    """Congeda."""
    typer.echo(f"addio {nome}")


if __name__ == "__main__":
    app()
'''


def _run(arguments: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the process and its children) of one fresh process; a failing command
    stops the benchmark (it would measure nothing). CPU time is the steadier figure on a loaded machine: it does not
    count the time spent waiting for a core.

    A leading `NAME=value` argument goes to the environment (the cases without the library cache); a leading
    `SVUOTA=folder` removes that folder of the case's cache (XDG_CACHE_HOME) first, untimed (the check results'
    cache, for the check that runs).
    """
    env = {**bench_environment(), "COLUMNS": "120", "SOURCE_DATE_EPOCH": "1767225600"}
    emptied = []
    while arguments and "=" in arguments[0] and not arguments[0].startswith("/"):
        name, value = arguments[0].split("=", 1)
        if name == "SVUOTA":
            emptied.append(value)
        else:
            env[name] = value
        arguments = arguments[1:]
    for folder in emptied:
        shutil.rmtree(Path(env["XDG_CACHE_HOME"]) / folder, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    samples = timed(lambda: _checked(arguments, cwd, env), 1)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return samples[0], (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def bench_environment() -> dict[str, str]:
    """This process's environment as a user's shell has it: caches on, bytecode written, index field kept."""
    dropped = {"PYTHONDONTWRITEBYTECODE", "CAPITOLATO_NO_CACHE", "CAPITOLATO_INDICE"}
    return {name: value for name, value in os.environ.items() if name not in dropped}


def _checked(arguments: list[str], cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(arguments, capture_output=True, cwd=cwd, env=env, check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(arguments)} → {result.returncode}\n{result.stderr.decode()}")


def fresh_processes(runs: int, scratch: Path, with_index_pages: bool = False,
                    base: Path | None = None) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Every case once as warm-up, then `runs` rounds alternating all cases (A B C … A B C …).

    The disk cache lives in the scratch folder (the warm-up fills it). With `base`, a checkout of an earlier
    version, each capitolato case runs also with that code (PYTHONPATH, its own cache): before and after, same run.
    """
    app = scratch / "minimal_app.py"
    app.write_text(MINIMAL_APP, encoding="utf-8")
    capitolato = shutil.which("capitolato") or str(Path(sys.executable).parent / "capitolato")
    python = sys.executable
    out = scratch / "out"
    cases = {
        "capitolato --help": [capitolato, "--help"],
        "Typer minima --help": [python, str(app), "--help"],
        "capitolato check (Melzo)": ["SVUOTA=capitolato/controlli", capitolato, "check", "-q", str(MELZO)],
        "capitolato check (risultato in cache)": [capitolato, "check", "-q", str(MELZO)],
        "Typer minima, un comando": [python, str(app), "ciao", "Melzo"],
        "capitolato build --formato docx (Melzo)": ["CAPITOLATO_INDICE=campo", capitolato, "build", str(MELZO), "-o",
                                                    str(out), "--force", "--formato", "docx", "-q"],
        "capitolato check (Melzo, senza cache)": ["CAPITOLATO_NO_CACHE=1", capitolato, "check", "-q", str(MELZO)],
    }
    if with_index_pages:
        cases["capitolato build, indice con LibreOffice"] = cases["capitolato build --formato docx (Melzo)"][1:]
    ours = [label for label in cases if label.startswith("capitolato")]
    for label in ours:
        if base is not None:
            cases[f"{label} [prima]"] = [f"PYTHONPATH={base}", f"XDG_CACHE_HOME={scratch / 'cache-prima'}",
                                         *cases[label]]
        cases[label] = [f"XDG_CACHE_HOME={scratch / 'cache'}", *cases[label]]
    samples: dict[str, list[float]] = {label: [] for label in cases}
    cpu: dict[str, list[float]] = {label: [] for label in cases}
    for arguments in cases.values():
        _run(arguments, REPO)
    for _ in range(runs):
        for label, arguments in cases.items():
            wall, seconds = _run(arguments, REPO)
            samples[label].append(wall)
            cpu[label].append(seconds)
    return samples, cpu


def print_ratios(samples: dict[str, list[float]], kind: str) -> None:
    print(f"\n— {kind} —")
    for label, values in samples.items():
        report(label, values)
    median = {label: statistics.median(values) for label, values in samples.items()}
    floor_help, floor_command = median["Typer minima --help"], median["Typer minima, un comando"]
    goals = [("--help / Typer minima --help", "capitolato --help", floor_help, "obiettivo ≤ 1,1×"),
             ("check / Typer minima, un comando", "capitolato check (Melzo)", floor_command, "obiettivo ≤ 1,5×"),
             ("build / Typer minima, un comando", "capitolato build --formato docx (Melzo)", floor_command,
              "obiettivo ≤ 2,5×"),
             ("check in cache / Typer minima", "capitolato check (risultato in cache)", floor_command,
              "stesso capitolato, stessi input: il risultato salvato"),
             ("check senza cache / Typer minima", "capitolato check (Melzo, senza cache)", floor_command,
              "senza le cache su disco"),
             ("build con l'indice impaginato", "capitolato build, indice con LibreOffice", floor_command,
              "predefinito, numeri di pagina di LibreOffice")]
    print()
    for title, label, floor, note in goals:
        if label not in median:
            continue
        before = median.get(f"{label} [prima]")
        then = f" · prima {before / floor:.2f}×" if before is not None else ""
        print(f"{title + ':':<36} {median[label] / floor:.2f}×{then} ({note})")


def scaled_tender(folder: Path, factor: int) -> Path:
    """Melzo with `factor` times its clauses (copies in an ente library, new ids) and its award criteria (new codes).

    The criteria stop at the spec's bound of 100 per list, so the 100× tender has 100 top-level criteria.
    """
    from ruamel.yaml import YAML

    from capitolato.library.load import load_library

    yaml = YAML()
    data = yaml.load((MELZO / "capitolato.yaml").read_text(encoding="utf-8"))
    library_dir = folder / "libreria"
    library_dir.mkdir()
    shipped = load_library()
    uses = list(data["clausole"])
    criteria = list(data["aggiudicazione"]["criteri"])
    for number in range(1, factor):
        for use in uses:
            source = shipped.get(use["id"])
            new_id = f"{use['id']}-x{number}"
            text = source.path.read_text(encoding="utf-8").replace(f"id: {source.id}\n", f"id: {new_id}\n", 1)
            (library_dir / f"{new_id}.yaml").write_text(text, encoding="utf-8")
            entry = copy_module.deepcopy(use)
            entry["id"] = new_id
            data["clausole"].append(entry)
        for criterion in criteria:
            if len(data["aggiudicazione"]["criteri"]) < MAX_CRITERIA:
                data["aggiudicazione"]["criteri"].append(_recoded(criterion, f"x{number}"))
    data["libreria"] = "libreria"
    path = folder / "capitolato.yaml"
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return path


def _recoded(criterion: dict, suffix: str) -> dict:
    """A deep copy of an award criterion whose codes (its own and its sub-criteria's) end with `suffix`."""
    plain = copy_module.deepcopy(criterion)

    def recode(node: dict) -> dict:
        node["codice"] = f"{node['codice']}{suffix}"
        for child in node.get("sottocriteri", []):
            recode(child)
        return node

    return recode(plain)


def _count(criteria: list) -> int:
    return sum(1 + _count(c.subcriteria) for c in criteria)


def curve(scratch: Path, runs: int) -> None:
    from capitolato import load_library, load_spec
    from capitolato.document.assemble import assemble
    from capitolato.document.build import document_meta
    from capitolato.render.document import render_bytes
    from capitolato.rules import check
    from capitolato.spec.load import spec_libraries

    base: dict[str, float] = {}
    print()
    for factor in (1, 10, 100):
        folder = scratch / f"x{factor}"
        folder.mkdir()
        path = scaled_tender(folder, factor)
        spec = load_spec(path)
        library = load_library(spec_libraries(spec))

        def build(spec=spec, library=library) -> None:
            for document in assemble(spec, library):
                render_bytes(document, document_meta(spec, document, False), "docx")

        rounds = {1: runs, 10: max(3, runs // 10), 100: 1}[factor]
        actions = {"load_spec": lambda path=path: load_spec(path),
                   "check()": lambda spec=spec, library=library: check(spec, library),
                   "assemble + docx": build}
        for label, action in actions.items():
            action()
            samples = timed(action, rounds)
            median = statistics.median(samples)
            base.setdefault(label, median)
            report(f"{label} {factor}× ({len(spec.clauses)} clausole, {_count(spec.award.criteria)} criteri)", samples)
            print(f"{'':<40} {median / base[label]:.1f}× il tempo di 1× (lineare: ≤ {factor}×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--no-curve", action="store_true", help="solo i processi nuovi")
    parser.add_argument("--solo-curva", action="store_true", help="solo la curva in processo (1×, 10×, 100×)")
    parser.add_argument("--indice", action="store_true", help="anche il build con l'indice impaginato da LibreOffice")
    parser.add_argument("--base", type=Path, help="una copia di una versione precedente: gli stessi casi con il suo "
                                                  "codice, alternati nello stesso giro (prima/dopo)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        if not options.solo_curva:
            wall, cpu = fresh_processes(options.runs, Path(scratch), options.indice, options.base)
            print_ratios(wall, "tempo reale (wall)")
            print_ratios(cpu, "tempo di CPU (utente + sistema)")
        if not options.no_curve:
            curve(Path(scratch), options.runs * 2)


if __name__ == "__main__":
    main()
