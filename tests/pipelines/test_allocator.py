"""The allocator setting that keeps a worker's memory flat reaches the worker processes a run starts.

Each case runs in a child interpreter: the setting is made once per process and lives in its
environment, which the test run's own must not take."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from transforms.common import GLIBC_TUNABLES

# Builds a batch pipeline (as `newsbeam run` does before it runs), then starts a process as the
# multi-process runner starts its workers and prints the setting that process was given.
BUILD_THEN_START_A_WORKER = textwrap.dedent("""
    import subprocess, sys, tempfile
    import apache_beam as beam
    from pipelines.options import Settings
    from pipelines.pipeline import build
    from seeds import seeds_dir

    with tempfile.TemporaryDirectory() as output:
        build(beam.Pipeline(), Settings(output=output, model="en_core_web_sm", patterns=[seeds_dir()]))
    worker = [sys.executable, "-c", "import os; print(os.environ.get('GLIBC_TUNABLES'))"]
    print(subprocess.run(worker, capture_output=True, text=True, check=True).stdout.strip())
""")


def _worker_setting(environment: dict) -> str:
    done = subprocess.run([sys.executable, "-c", BUILD_THEN_START_A_WORKER], capture_output=True, text=True,
                          env=environment, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_the_workers_a_run_starts_get_two_arenas_and_mapped_large_blocks():
    environment = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
    assert _worker_setting(environment) == GLIBC_TUNABLES


def test_a_users_own_allocator_setting_is_left_as_it_is():
    mine = "glibc.malloc.arena_max=4"
    assert _worker_setting({**os.environ, "GLIBC_TUNABLES": mine}) == mine
