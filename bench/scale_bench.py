"""Scale-out: the BBC corpus on one worker and on two, on Beam's multi-process runner and on Dask.

    python -m bench.scale_bench CORPORA [--workers 2]

Four runs of `newsbeam run` over the same files, each a child process timed from its start to its
exit (imports, model loads, reading, writing: what a user waits for):

  - in-process, `--workers 1`: the reference every other run is compared with;
  - Beam's multi-process runner, `--workers N` (`--direct_running_mode=multi_processing`);
  - newsbeam's Dask runner on a local cluster of 1, then N worker processes of one thread each, as
    `make cluster-up` starts them (`distributed.LocalCluster`). A fresh cluster for each run, so no
    worker starts with a model loaded by the run before; its start-up is printed apart, since a
    deployed cluster is up before a run comes.

Each run's five tables are read back with DuckDB and compared row by row with the reference's; the
peak RSS of every process is printed (bench/memory.py; Dask's workers report their own). The goal
(issue 32) is N=2 at least 1.6x the docs/s of one worker on an idle 2-core machine: the load average
printed first says how idle it was.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from bench.memory import TreePeaks
from schemas import catalog
from schemas.tables import TABLES

DASK = "pipelines.dask_runner.DaskRunner"
GOAL = 1.6  # two workers over one (issue 32)


def run(folder: pathlib.Path, output: pathlib.Path, options: list[str],
        reference_date: str = "2005-12-31") -> tuple[float, TreePeaks]:
    """One `newsbeam run` in a child process: its seconds from start to exit, and its processes' peak RSS."""
    command = [sys.executable, "-m", "pipelines.cli", "run", "--input", str(folder), "--output", str(output),
               "--reference-date", reference_date, *options]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        with TreePeaks(child.pid) as peaks:
            code = child.wait()
        seconds = time.perf_counter() - started
        if code:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-4000:])
            raise subprocess.CalledProcessError(code, command)
    return seconds, peaks


def _peak_mb() -> float:
    """This process's peak RSS (run on each Dask worker)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_on_dask(folder: pathlib.Path, output: pathlib.Path, workers: int) -> tuple[float, TreePeaks, list, float]:
    """`run` on a new local Dask cluster of `workers` single-threaded processes: the run's seconds and
    peaks, the workers' peak RSS (MB, largest first) and the seconds the cluster took to start."""
    import logging

    import distributed

    started = time.perf_counter()
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster) as client:
        client.wait_for_workers(workers)
        cluster_seconds = time.perf_counter() - started
        seconds, peaks = run(folder, output, [f"--runner={DASK}", f"--dask_client_address={cluster.scheduler_address}"])
        worker_peaks = sorted(client.run(_peak_mb).values(), reverse=True)
    return seconds, peaks, worker_peaks, cluster_seconds


def table_rows(output: pathlib.Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, read back with DuckDB."""
    connection = catalog.connect(str(output))
    return {table: connection.sql(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in TABLES}


def differences(reference: dict[str, list], rows: dict[str, list]) -> str:
    differ = [f"{table} ({len(rows[table])} rows, {len(reference[table])} in the reference)"
              for table in TABLES if rows[table] != reference[table]]
    return "identical" if not differ else "DIFFER: " + ", ".join(differ)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path, help="the folder holding bbc/")
    parser.add_argument("--workers", type=int, default=2, help="workers of the scaled-out runs (default: 2)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        root = pathlib.Path(temporary)
        folder = root / "bbc"
        folder.mkdir()
        for path in sorted((args.corpora / "bbc").glob("*/*.txt")):
            shutil.copy(path, folder / f"{path.parent.name}_{path.name}")
        n = len(list(folder.iterdir()))
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"scale-out on {n} BBC articles, {os.cpu_count()} cores, load average {load:.2f} before the runs;"
              f" each run from the command's start to its exit", flush=True)
        print(f"{'run':<31} {'seconds':>7} {'docs/s':>7} {'speed-up':>8}  {'rows':<10} peak RSS MB per process",
              flush=True)
        runs, reference = {}, None
        w = args.workers
        for label, how in (("in-process, 1 worker", ["--workers", "1"]),
                           (f"multi-process runner, {w} workers", ["--workers", str(w)]),
                           ("Dask, 1 worker", 1),
                           (f"Dask, {w} workers", w)):
            output = root / f"out{len(runs)}"
            if isinstance(how, list):
                seconds, peaks = run(folder, output, how)
                workers = peaks.workers_mb()
                memory = (f"runner {peaks.command_mb() or 0:.0f}, workers " + " ".join(f"{mb:.0f}" for mb in workers)
                          if workers else f"{peaks.command_mb() or 0:.0f}")
            else:
                seconds, peaks, workers, cluster = run_on_dask(folder, output, how)
                memory = (f"client {peaks.command_mb() or 0:.0f}, workers " + " ".join(f"{mb:.0f}" for mb in workers)
                          + f" (cluster up in {cluster:.1f}s, not counted)")
            rows = table_rows(output)
            if reference is None:
                reference, same = rows, "reference"
            else:
                same = differences(reference, rows)
            runs[label] = seconds
            speed_up = runs["in-process, 1 worker"] / seconds
            print(f"{label:<31} {seconds:>7.1f} {n / seconds:>7.1f} {speed_up:>7.2f}x  {same:<10} {memory}", flush=True)
            shutil.rmtree(output)
    print("rows: " + ", ".join(f"{table} {len(found)}" for table, found in reference.items()))
    multi = runs["in-process, 1 worker"] / runs[f"multi-process runner, {w} workers"]
    dask = runs["Dask, 1 worker"] / runs[f"Dask, {w} workers"]
    print(f"speed-up of {w} workers over 1: multi-process runner {multi:.2f}x (over in-process), "
          f"Dask {dask:.2f}x (over Dask, 1 worker); goal {GOAL}x for 2 workers on an idle 2-core machine")


if __name__ == "__main__":
    main()
