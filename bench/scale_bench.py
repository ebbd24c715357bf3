"""Scale-out: the BBC corpus on one worker and on two, the same rows, and the speed-up.

    python -m bench.scale_bench CORPORA [--workers 2]

One worker is the default in-process runner; N workers are Beam's multi-process runner
(`--direct_num_workers=N --direct_running_mode=multi_processing`). Each run is a child process, so
its peak RSS (the largest process of the run, a worker or the runner) is measured apart.
"""

from __future__ import annotations

import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from schemas import catalog
from schemas.tables import TABLES


def run(folder: pathlib.Path, output: pathlib.Path, options: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB of the largest process) of one `newsbeam run` in a child process."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    started = time.perf_counter()
    answer = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "pipelines.cli", "run",
                             "--input", str(folder), "--output", str(output), "--reference-date", "2005-12-31",
                             *options], check=True, capture_output=True, text=True)
    return time.perf_counter() - started, int(answer.stdout.split()[-1]) / 1024


def same_rows(left: pathlib.Path, right: pathlib.Path) -> list[str]:
    """The tables whose rows differ between two outputs."""
    a, b = catalog.connect(str(left)), catalog.connect(str(right))
    return [t for t in TABLES if a.sql(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            != b.sql(f"SELECT * FROM {t} ORDER BY ALL").fetchall()]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        root = pathlib.Path(temporary)
        folder = root / "bbc"
        folder.mkdir()
        for path in sorted((args.corpora / "bbc").glob("*/*.txt")):
            shutil.copy(path, folder / f"{path.parent.name}_{path.name}")
        n = len(list(folder.iterdir()))
        one = run(folder, root / "one", [])
        many = run(folder, root / "many", [f"--direct_num_workers={args.workers}",
                                           "--direct_running_mode=multi_processing"])
        differ = same_rows(root / "one", root / "many")
    print(f"scale-out on {n} BBC articles (start-up included)")
    print(f"  1 worker:  {n / one[0]:5.1f} docs/s, peak RSS {one[1]:.0f} MB")
    print(f"  {args.workers} workers: {n / many[0]:5.1f} docs/s, peak RSS {many[1]:.0f} MB (largest process)")
    rows = "identical in every table" if not differ else "DIFFER: " + ", ".join(differ)
    print(f"  speed-up {one[0] / many[0]:.2f}x; rows {rows}")


if __name__ == "__main__":
    main()
