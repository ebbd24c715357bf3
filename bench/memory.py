"""Peak RSS of each process of a run: the command and every worker process it starts.

`resource.getrusage(RUSAGE_CHILDREN)` gives only the largest process of a finished tree, and a run
on the multi-process runner is a runner and N workers: the figure wanted is each worker's. Linux
keeps every process's own peak (VmHWM in /proc/PID/status); a thread reads it for the command and
its descendants every half second and keeps the last value read, which misses at most the growth
of a process's last half second. Where /proc is missing, no figures (an empty dict).
"""

from __future__ import annotations

import os
import threading

SHELLS = ("sh", "bash", "dash")


def _status(pid: int) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return dict(line.rstrip("\n").split(":\t", 1) for line in handle if ":\t" in line)
    except OSError:  # gone since it was listed
        return {}


def _descendants(root: int) -> list[int]:
    """`root` and every process under it, parents first."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            status = _status(int(entry))
            if "PPid" in status:
                parents[int(entry)] = int(status["PPid"])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


class TreePeaks:
    """Samples the peak RSS of `pid` and its descendants while in a `with` block.

    `peaks` maps pid to (process name, peak RSS in MB), the command's pid first.
    """

    def __init__(self, pid: int, every: float = 0.5):
        self.pid, self.every = pid, every
        self.peaks: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreePeaks:
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        while True:
            for pid in _descendants(self.pid):
                status = _status(pid)
                if "VmHWM" in status:
                    self.peaks[pid] = (status.get("Name", "?"), int(status["VmHWM"].split()[0]) / 1024)
            if self._stop.wait(self.every):
                return

    def command_mb(self) -> float | None:
        """Peak RSS of the command's own process."""
        return self.peaks[self.pid][1] if self.pid in self.peaks else None

    def workers_mb(self) -> list[float]:
        """Peak RSS of each process the command started (the multi-process runner's workers), largest
        first; the shells Beam starts them through are left out."""
        return sorted((mb for pid, (name, mb) in self.peaks.items() if pid != self.pid and name not in SHELLS),
                      reverse=True)
