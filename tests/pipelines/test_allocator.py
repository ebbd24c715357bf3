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
    worker = [sys.executable, "-c", sys.argv[1]]
    print(subprocess.run(worker, capture_output=True, text=True, check=True).stdout.strip())
""")
GLIBC_SETTING = "import os; print(os.environ.get('GLIBC_TUNABLES'))"
ARROW_POOL = "import pyarrow; print(pyarrow.default_memory_pool().backend_name)"


def _worker_setting(environment: dict, ask: str = GLIBC_SETTING) -> str:
    done = subprocess.run([sys.executable, "-c", BUILD_THEN_START_A_WORKER, ask], capture_output=True, text=True,
                          env=environment, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_the_workers_a_run_starts_get_two_arenas_and_mapped_large_blocks():
    environment = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
    assert _worker_setting(environment) == GLIBC_TUNABLES


def test_a_users_own_allocator_setting_is_left_as_it_is():
    mine = "glibc.malloc.arena_max=4"
    assert _worker_setting({**os.environ, "GLIBC_TUNABLES": mine}) == mine


def test_the_workers_a_run_starts_take_arrows_buffers_from_glibc():
    """pyarrow's own pool (mimalloc) kept what the writers freed: +35 MB a worker at 10k articles."""
    environment = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    assert _worker_setting(environment, ARROW_POOL) == "system"


def test_a_users_own_arrow_pool_is_left_as_it_is():
    assert _worker_setting({**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "mimalloc"}, ARROW_POOL) == "mimalloc"
