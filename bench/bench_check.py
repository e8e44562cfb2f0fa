"""Time `capitolato check` on the Melzo example: as a fresh process (what CI pays) and in-process `check()`.

Run from the repository root: ``python bench/bench_check.py``. Target: fresh process well under one second.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import report, timed  # noqa: E402
from capitolato.library.load import load_library  # noqa: E402
from capitolato.rules import check  # noqa: E402
from capitolato.spec.load import load_spec  # noqa: E402

EXAMPLE = ROOT / "examples" / "melzo-servizi-persona"
RUNS = 10



def fresh_process() -> None:
    result = subprocess.run([sys.executable, "-m", "capitolato", "check", "-q", str(EXAMPLE)],
                            capture_output=True, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"check non pulito: {result.stderr.decode()}")



def main() -> None:
    spec = load_spec(EXAMPLE)
    library = load_library()
    report("capitolato check (processo)", timed(fresh_process, RUNS))
    report("check() in processo", timed(lambda: check(spec, library), RUNS * 10))
    report("load_spec + check() in processo", timed(lambda: check(load_spec(EXAMPLE)), RUNS))


if __name__ == "__main__":
    main()
