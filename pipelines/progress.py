"""What a run shows while it runs and when it ends: a progress line and the counters of each stage."""

from __future__ import annotations

import os
import sys
import time


class ProgressLine:
    """The run's progress from its first second: files read of the total, articles analysed, their rate
    and the time left, summed over every worker (threads or processes) from the counts they write
    (transforms.common.Progress). A line rewritten in place on a terminal, a line every 15 s otherwise."""

    def __init__(self, total: int | None):
        import tempfile
        import threading

        self.total = total
        self.folder = tempfile.mkdtemp(prefix="newsbeam-progress-")
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._show, name="progress", daemon=True)
        self.terminal = sys.stderr.isatty()

    def start(self) -> None:
        from transforms.common import PROGRESS_DIR

        os.environ[PROGRESS_DIR] = self.folder
        self.started = time.monotonic()
        self.thread.start()

    def line(self) -> str:
        from transforms.common import progress_counts

        counts = progress_counts(self.folder)
        seconds = time.monotonic() - self.started
        read = max(counts.get("first_read", 0), counts.get("read", 0))
        analysed = counts.get("nlp", 0)
        total = f"/{self.total}" if self.total else ""
        text = f"{seconds:4.0f}s  read {read}{total}"
        if analysed:
            rate = analysed / seconds
            text += f", analysed {analysed} ({rate:.1f}/s"
            if self.total and rate > 0:  # copies are not analysed: the total is an upper bound
                text += f", at most {max(self.total - analysed, 0) / rate:.0f}s left"
            text += ")"
        return text

    def _show(self) -> None:
        interval, last = (0.5, 0.0) if self.terminal else (15.0, time.monotonic() - 10.0)  # first line at 5 s
        while not self.done.wait(0.5):
            if time.monotonic() - last >= interval:
                last = time.monotonic()
                if self.terminal:
                    print(f"\rnewsbeam: {self.line()}\033[K", end="", file=sys.stderr, flush=True)
                else:
                    print(f"newsbeam: {self.line()}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        import shutil

        from transforms.common import PROGRESS_DIR

        self.done.set()
        if self.thread.is_alive():
            self.thread.join(2)
        if self.terminal and self.thread.ident is not None:
            print(file=sys.stderr)
        os.environ.pop(PROGRESS_DIR, None)
        shutil.rmtree(self.folder, ignore_errors=True)  # newsbeam's own temporary folder


def add_counters(totals: dict[str, dict[str, int]], stages: dict[str, dict[str, int]]) -> None:
    for stage, names in stages.items():
        for name, value in names.items():
            totals.setdefault(stage, {})[name] = totals.get(stage, {}).get(name, 0) + value


def print_counters(stages: dict[str, dict[str, int]], seconds: float) -> None:
    """The run's counters, one stage a line: what was read, rejected, found and written."""
    if not stages:
        print(f"newsbeam: done in {seconds:.1f}s (counters unavailable from this runner)", file=sys.stderr)
        return
    print(f"newsbeam: done in {seconds:.1f}s", file=sys.stderr)
    for stage, names in sorted(stages.items()):
        shown = [f"time={value / 1e6:.1f}s" if name == "usec" else f"{name}={value}"
                 for name, value in sorted(names.items())]
        print(f"  {stage:<11} " + ", ".join(shown), file=sys.stderr)
