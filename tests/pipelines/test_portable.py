"""The seeds through Beam's portability layer (the path Flink and Dataflow use): the Python job service
and an EXTERNAL worker pool, workers in separate processes that import the installed package.
The Parquet rows must equal the in-process run's."""

import os
import pathlib
import socket
import subprocess
import sys
import time

import pytest

from pipelines.cli import main
from schemas import catalog
from schemas.tables import TABLES
from tests.conftest import REFERENCE_DATE

pytestmark = pytest.mark.portable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture(scope="module")
def portable_services():
    # The worker pool starts SDK workers with `python`: it must be this environment's.
    env = {**os.environ, "PATH": f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    job_port, pool_port = free_port(), free_port()
    services = [
        subprocess.Popen([sys.executable, "-m", "apache_beam.runners.portability.local_job_service_main",
                          "--port", str(job_port)], env=env, stderr=subprocess.DEVNULL),
        subprocess.Popen([sys.executable, "-m", "apache_beam.runners.worker.worker_pool_main",
                          "--service_port", str(pool_port)], env=env, stderr=subprocess.DEVNULL),
    ]
    try:
        wait_for(job_port)
        wait_for(pool_port)
        yield job_port, pool_port
    finally:
        for service in services:
            service.terminate()
            service.wait(timeout=30)


def rows(output: pathlib.Path) -> dict:
    connection = catalog.connect(str(output))
    return {table: connection.sql(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in TABLES}


def test_portable_runner_with_external_workers_gives_the_in_process_rows(portable_services, seed_run, tmp_path,
                                                                         input_with_bad_files):
    job_port, pool_port = portable_services
    assert main(["run", "--input", str(input_with_bad_files), "--output", str(tmp_path),
                 "--reference-date", REFERENCE_DATE.isoformat(), "--runner=PortableRunner",
                 f"--job_endpoint=127.0.0.1:{job_port}", "--environment_type=EXTERNAL",
                 f"--environment_config=127.0.0.1:{pool_port}"]) == 0
    assert rows(tmp_path) == rows(seed_run)


def test_multi_process_direct_workers_give_the_in_process_rows(seed_run, tmp_path, input_with_bad_files):
    assert main(["run", "--input", str(input_with_bad_files), "--output", str(tmp_path),
                 "--reference-date", REFERENCE_DATE.isoformat(), "--direct_num_workers=2",
                 "--direct_running_mode=multi_processing"]) == 0
    assert rows(tmp_path) == rows(seed_run)
