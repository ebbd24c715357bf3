"""Scale-out: the BBC corpus on one worker and on two, on Beam's multi-process runner and on Dask.

    python -m bench.scale_bench CORPORA [--workers 2] [--files 500] [--dask-only]

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
(issue 32) is N=2 at least 1.6x the docs/s of one worker on an idle 2-core machine. Whether it was
idle shows in the `cores` column, the run's CPU seconds (every process of it, Dask's workers too)
over its seconds: on an idle machine two workers keep ~2 cores busy; a run given less was sharing them.
`--files N` runs on N of the BBC files, taken evenly through the sections, and `--dask-only` runs only
the two Dask runs (back to back, rows compared with each other), for a quick look at a change.

Under each Dask run, where its work ran, from the scheduler's task stream: every worker's compute
seconds, and the partitions of the longest stage (the NER on BBC) with the worker each ran on. A run
whose longest stage ran on one worker of two is no scale-out, whatever the machine's load; the
speed-up needs an idle machine, this does not. `--spread K` runs only Dask on N workers, K times, to
check that.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pathlib
import resource
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


@dataclasses.dataclass
class Run:
    seconds: float  # from the command's start to its exit
    cpu: float  # CPU seconds of the command and the processes it waited for (its workers)
    peaks: TreePeaks  # peak RSS of the command and of each process it started

    def memory(self) -> str:
        workers = self.peaks.workers_mb()
        if not workers:
            return f"{self.peaks.command_mb() or 0:.0f}"
        return f"runner {self.peaks.command_mb() or 0:.0f}, workers " + " ".join(f"{mb:.0f}" for mb in workers)


def run(folder: pathlib.Path, output: pathlib.Path, options: list[str], reference_date: str = "2005-12-31") -> Run:
    """One `newsbeam run` in a child process; its output is shown only if it fails."""
    command = [sys.executable, "-m", "pipelines.cli", "run", "--input", str(folder), "--output", str(output),
               "--reference-date", reference_date, *options]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        with TreePeaks(child.pid) as peaks:
            _, status, usage = os.wait4(child.pid, 0)  # the child's resource usage, its workers' included
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-4000:])
            raise subprocess.CalledProcessError(child.returncode, command)
    return Run(seconds, usage.ru_utime + usage.ru_stime, peaks)


def _usage() -> tuple[float, float]:
    """CPU seconds and peak RSS (MB) of this process: run on each Dask worker."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _stream_index(dask_scheduler) -> int:
    return dask_scheduler.get_task_stream_index()


def _tasks_since(index: int, dask_scheduler) -> list[tuple]:
    """(stage, partition, worker address, compute seconds) of every task run since `index`."""
    from dask.utils import key_split

    return [(key_split(task["key"]), task["key"][1] if isinstance(task["key"], tuple) else None, task["worker"],
             sum(span["stop"] - span["start"] for span in task["startstops"] if span["action"] == "compute"))
            for task in dask_scheduler.get_task_stream(start_index=index)]


def placement(tasks: list[tuple], workers: list[str]) -> str:
    """Each worker's compute seconds, and the worker each partition of the longest stage ran on."""
    name = {address: f"w{i + 1}" for i, address in enumerate(sorted(workers))}
    busy, stages = dict.fromkeys(name.values(), 0.0), {}
    for stage, partition, address, seconds in tasks:
        busy[name.get(address, address)] = busy.get(name.get(address, address), 0.0) + seconds
        stages.setdefault(stage, []).append((partition, name.get(address, address), seconds))
    if not stages:
        return "no task recorded by the scheduler"
    stage, parts = max(stages.items(), key=lambda item: sum(seconds for *_, seconds in item[1]))
    parts = sorted(parts, key=lambda part: (part[0] is None, part[0] or 0))
    ran_on = {worker for _, worker, _ in parts}
    spread = "on one worker" if len(ran_on) == 1 < len(name) else f"on {len(ran_on)} workers"
    return ("compute s per worker " + ", ".join(f"{worker} {seconds:.1f}" for worker, seconds in busy.items())
            + f"; longest stage {stage} {spread}: "
            + ", ".join(f"partition {partition} {worker} {seconds:.1f}s" for partition, worker, seconds in parts))


def run_on_dask(folder: pathlib.Path, output: pathlib.Path, workers: int) -> tuple[Run, str, str]:
    """`run` on a new local Dask cluster of `workers` single-threaded processes, the workers' CPU
    counted in; its peak RSS per process, with the seconds the cluster took to start; and where its
    tasks ran (`placement`)."""
    import logging

    import distributed

    started = time.perf_counter()
    # CRITICAL: at close a worker's heartbeat to the gone scheduler is logged as an error; a task's
    # error still fails the run, whose output is shown
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  preload=["pipelines.dask_worker"],  # as `make cluster-up` starts them
                                  dashboard_address=":0", silence_logs=logging.CRITICAL) as cluster, \
            distributed.Client(cluster) as client:
        client.wait_for_workers(workers)
        cluster_seconds = time.perf_counter() - started
        before = client.run(_usage)
        index = client.run_on_scheduler(_stream_index)
        done = run(folder, output, [f"--runner={DASK}", f"--dask_client_address={cluster.scheduler_address}"])
        after = client.run(_usage)
        tasks = client.run_on_scheduler(_tasks_since, index)
    done.cpu += sum(after[worker][0] - before[worker][0] for worker in after)
    peaks = " ".join(f"{mb:.0f}" for mb in sorted((mb for _, mb in after.values()), reverse=True))
    return done, (f"client {done.peaks.command_mb() or 0:.0f}, workers {peaks} "
                  f"(cluster up in {cluster_seconds:.1f}s, not counted)"), placement(tasks, list(after))


def table_rows(output: pathlib.Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, read back with DuckDB."""
    connection = catalog.connect(str(output))
    return {table: connection.sql(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in TABLES}


def differences(reference: dict[str, list], rows: dict[str, list]) -> str:
    differ = [f"{table} ({len(rows[table])} rows, {len(reference[table])} in the reference)"
              for table in TABLES if rows[table] != reference[table]]
    return "identical" if not differ else "DIFFER: " + ", ".join(differ)


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path, help="the folder holding bbc/")
    parser.add_argument("--workers", type=int, default=2, help="workers of the scaled-out runs (default: 2)")
    parser.add_argument("--files", type=int, help="only this many BBC files, taken evenly (default: all)")
    parser.add_argument("--dask-only", action="store_true", help="only the Dask runs, on 1 and on N workers")
    parser.add_argument("--spread", type=int, metavar="K",
                        help="only Dask on N workers, K times: where each run's longest stage ran")
    args = parser.parse_args(argv)
    w = args.workers
    one, multi, dask_one, dask_many = ("in-process, 1 worker", f"multi-process runner, {w} workers",
                                       "Dask, 1 worker", f"Dask, {w} workers")
    with tempfile.TemporaryDirectory() as temporary:
        root = pathlib.Path(temporary)
        folder = root / "bbc"
        folder.mkdir()
        paths = sorted((args.corpora / "bbc").glob("*/*.txt"))
        if args.files and args.files < len(paths):
            paths = [paths[i * len(paths) // args.files] for i in range(args.files)]
        for path in paths:
            shutil.copy(path, folder / f"{path.parent.name}_{path.name}")
        n = len(list(folder.iterdir()))
        print(f"scale-out on {n} BBC articles, {os.cpu_count()} cores, load average {load()} before the runs;"
              f" each run from the command's start to its exit")
        print(f"{'run':<31} {'seconds':>7} {'docs/s':>7} {'speed-up':>8} {'cores':>5}  {'rows':<10} "
              f"peak RSS MB per process", flush=True)
        seconds, reference = {}, None
        runs = ((one, ["--workers", "1"]), (multi, ["--workers", str(w)]), (dask_one, 1), (dask_many, w))
        if args.spread:
            runs = tuple((f"{dask_many}, run {k + 1}", w) for k in range(args.spread))
        elif args.dask_only:
            runs = runs[2:]
        for label, how in runs:
            output = root / f"out{len(seconds)}"
            where = None
            if isinstance(how, list):
                done = run(folder, output, how)
                memory = done.memory()
            else:
                done, memory, where = run_on_dask(folder, output, how)
            rows = table_rows(output)
            shutil.rmtree(output)
            same = "reference" if reference is None else differences(reference, rows)
            reference = reference or rows
            seconds[label] = done.seconds
            first = next(iter(seconds.values()))
            print(f"{label:<31} {done.seconds:>7.1f} {n / done.seconds:>7.1f} {first / done.seconds:>7.2f}x "
                  f"{done.cpu / done.seconds:>5.2f}  {same:<10} {memory}", flush=True)
            if where:
                print(f"  {where}", flush=True)
    print("rows: " + ", ".join(f"{table} {len(found)}" for table, found in reference.items())
          + f"; load average {load()} after the runs")
    if args.spread:
        return
    multi_speedup = (f"multi-process runner {seconds[one] / seconds[multi]:.2f}x (over in-process), "
                     if one in seconds else "")
    print(f"speed-up of {w} workers over 1: {multi_speedup}"
          f"Dask {seconds[dask_one] / seconds[dask_many]:.2f}x (over Dask, 1 worker); "
          f"goal {GOAL}x for 2 workers on an idle 2-core machine")


if __name__ == "__main__":
    main()
