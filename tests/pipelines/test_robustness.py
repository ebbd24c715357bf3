"""Nothing lost, ever: hostile servers, odd files and a killed run, through the real `newsbeam` command.

Runs that could hang if a deadline broke run as subprocesses with a generous limit, so a
regression fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from pipelines import output
from schemas import catalog
from schemas.tables import TABLES
from tests.conftest import SEED_FILES
from tests.hostile import BEHAVIOURS, HostileServer

NEWSBEAM = [sys.executable, "-m", "pipelines.cli"]
ROOT = pathlib.Path(__file__).resolve().parents[2]
LIMIT = 300  # seconds: far above what any case needs; only a hang reaches it


def newsbeam(*args: str, timeout: float = LIMIT) -> subprocess.CompletedProcess:
    return subprocess.run([*NEWSBEAM, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def rows(out: pathlib.Path, sql: str) -> list[tuple]:
    return catalog.connect(str(out)).sql(sql).fetchall()


def previous_output(seed_run, out: pathlib.Path) -> pathlib.Path:
    """A copy of the seeds' run (the session's, tests/conftest.py) at `out`, for the tests that need an
    earlier output to protect or read rather than the run that wrote it."""
    shutil.copytree(seed_run, out, symlinks=True)
    return out


def every_string(out: pathlib.Path) -> str:
    connection = catalog.connect(str(out))
    return "\n".join(str(row) for table in TABLES for row in connection.sql(f"SELECT * FROM {table}").fetchall())


@pytest.fixture(scope="module")
def hostile():
    with HostileServer() as server:
        yield server


def feed_list(hostile: HostileServer, folder: pathlib.Path) -> pathlib.Path:
    good = hostile.url("/good.rss")
    port = good.split(":")[2].split("/")[0]
    lines = [
        good,
        good.replace("http://", "HTTP://"),                       # the same feed, spelled otherwise
        hostile.url("/same-items.rss"),                           # the same items in another feed
        f"http://reader:s3cret-pw@127.0.0.1:{port}/good.rss",      # credentials: used, never stored
        *(hostile.url(path) for path in BEHAVIOURS if path not in ("/good.rss", "/same-items.rss")),
        hostile.other_protocol_url,
        "http://127.0.0.1:99999/feed.rss",                        # no such port
        "http://news..example/feed.rss",                          # an empty host label
        "/etc/passwd",                                            # a local file is no feed list entry
        "file:///etc/passwd",
    ]
    listing = folder / "feeds.txt"
    listing.write_text("\n".join(lines) + "\n")
    return listing


def test_hostile_feeds_become_dead_letters_and_good_items_are_written_once(hostile, tmp_path):
    out = tmp_path / "out"
    run = newsbeam("run", "--feeds", str(feed_list(hostile, tmp_path)), "--no-follow-links", "--output", str(out),
                   "--timeout", "3")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    articles = rows(out, "SELECT article_id, title FROM articles ORDER BY title")
    assert [title for _, title in articles] == ["Ministers meet in Riyadh", "Ministers meet in Riyadh",
                                                "Summit in Budapest postponed", "Summit in Budapest postponed"]
    assert len({article_id for article_id, _ in articles}) == 4  # the `good` items once, the `many` items once
    dead = dict(rows(out, "SELECT source, error FROM dead_letter"))
    for path in ("/bad-status.rss", "/broken-chunks.rss", "/first-304.rss", "/gzip-bomb.rss", "/drip.rss",
                 "/endless.rss"):
        assert dead[hostile.url(path)], path
    assert "within 3s" in dead[hostile.url("/drip.rss")]
    assert "304" in dead[hostile.url("/first-304.rss")]
    assert dead[hostile.other_protocol_url]
    assert dead["http://127.0.0.1:99999/feed.rss"].startswith("invalid URL")
    assert dead["http://news..example/feed.rss"]
    refused = rows(out, "SELECT source, error, excerpt FROM dead_letter WHERE source LIKE '%feeds.txt:%'")
    assert len(refused) == 2 and all("http(s) URL" in error and excerpt == "" for _, error, excerpt in refused)
    stored = every_string(out)
    assert "s3cret-pw" not in stored and "root:" not in stored


def test_odd_files_in_an_input_folder_are_each_read_reported_or_skipped(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    shutil.copy(SEED_FILES[0], news / SEED_FILES[0].name)
    (news / os.fsdecode(b"caf\xe9-report.txt")).write_bytes(SEED_FILES[1].read_bytes())  # a Latin-1 name
    (news / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (news / "loop.txt").symlink_to(news / "loop.txt")
    os.mkfifo(news / "pipe.txt")
    (news / "README.TXT").write_text("This corpus is for research use.\n")
    (news / "__init__.py").write_text("")
    out = tmp_path / "out"
    run = newsbeam("run", "--input", str(news), "--output", str(out))
    assert run.returncode == 0, run.stderr
    sources = sorted(source.rsplit("/", 1)[1] for (source,) in rows(out, "SELECT source FROM articles"))
    assert sources == [SEED_FILES[0].name, "caf\\xe9-report.txt"]
    dead = {source.rsplit("/", 1)[1]: error for source, error in rows(out, "SELECT source, error FROM dead_letter")}
    assert dead["gone.txt"].startswith("broken symbolic link")
    assert dead["loop.txt"] == "symbolic link loop"
    assert "FIFO" in dead["pipe.txt"]
    assert "README.TXT" not in dead and "__init__.py" not in dead
    assert "skipped_files=2" in run.stderr


def test_user_files_beside_and_inside_the_output_are_never_deleted(tmp_path):
    out = tmp_path / "work"
    out.mkdir()
    (out / "notes.md").write_text("my notes")
    assert newsbeam("run", "--output", str(out)).returncode == 0
    assert (out / "notes.md").read_text() == "my notes"
    (out / "articles" / "mine.csv").write_text("a,b\n")
    refused = newsbeam("run", "--output", str(out))
    assert refused.returncode == 2 and "did not write" in refused.stderr and "articles/mine.csv" in refused.stderr
    assert (out / "articles" / "mine.csv").read_text() == "a,b\n"
    assert rows(out, "SELECT count(*) FROM articles") == [(5,)]  # the previous output is still whole


def test_an_output_that_is_the_input_is_refused_and_the_input_kept(tmp_path):
    news = tmp_path / "news"
    (news / "articles").mkdir(parents=True)
    shutil.copy(SEED_FILES[0], news / "articles" / SEED_FILES[0].name)
    refused = newsbeam("run", "--input", str(news), "--output", str(news))
    assert refused.returncode == 2 and "contains the input" in refused.stderr
    assert (news / "articles" / SEED_FILES[0].name).read_bytes() == SEED_FILES[0].read_bytes()


def test_a_second_run_replaces_the_first_and_odd_folder_names_work(seed_run, tmp_path):
    out = previous_output(seed_run, tmp_path / "res[1]")
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(SEED_FILES[0], one / SEED_FILES[0].name)
    assert newsbeam("run", "--input", str(one), "--output", str(out)).returncode == 0
    assert rows(out, "SELECT count(*) FROM articles") == [(1,)]
    assert sorted(p.name for p in (out / output.STATE).iterdir()) == ["lock", "manifest.json"]


def test_a_run_killed_at_any_point_leaves_the_previous_output_whole(seed_run, tmp_path):
    out = previous_output(seed_run, tmp_path / "out")
    before = {table: rows(out, f"SELECT * FROM {table} ORDER BY ALL") for table in TABLES}
    news = tmp_path / "news"
    news.mkdir()
    for n in range(60):
        shutil.copy(SEED_FILES[n % 5], news / f"{n:03d}.txt")
    run = subprocess.Popen([*NEWSBEAM, "run", "--input", str(news), "--output", str(out)], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + LIMIT
    staged = out / output.STATE
    while not any(staged.glob("run-*/*/**/*.parquet")) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # until the run has written part of its tables
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert {table: rows(out, f"SELECT * FROM {table} ORDER BY ALL") for table in TABLES} == before
    assert newsbeam("run", "--input", str(news), "--output", str(out)).returncode == 0
    assert rows(out, "SELECT count(*) FROM articles") == [(60,)]
    assert not list(staged.glob("run-*"))  # the killed run's staging folder is gone


def test_a_swap_cut_short_is_finished_by_the_next_command(seed_run, tmp_path):
    out = previous_output(seed_run, tmp_path / "out")
    run = output.Run(str(out))
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(SEED_FILES[0], one / SEED_FILES[0].name)
    assert newsbeam("run", "--input", str(one), "--output", run.staging + "-out").returncode == 0
    for table in TABLES:
        os.rename(os.path.join(run.staging + "-out", table), os.path.join(run.staging, table))
    # What commit() does, stopped after its journal and the first table's swap, as a kill would.
    output._write_json(os.path.join(out, output.STATE, output.JOURNAL), {"staging": os.path.basename(run.staging)})
    first = sorted(TABLES)[0]
    os.makedirs(os.path.join(run.staging, "replaced"))
    os.rename(out / first, os.path.join(run.staging, "replaced", first))
    os.rename(os.path.join(run.staging, first), out / first)
    run.close()
    assert newsbeam("query", "tables", "--output", str(out)).returncode == 0
    output.recover(str(out))
    assert rows(out, "SELECT count(*) FROM articles") == [(1,)]
    assert rows(out, "SELECT count(DISTINCT article_id) FROM entities") == [(1,)]


def test_the_stream_survives_hostile_feeds_and_stops_on_time(hostile, tmp_path):
    listing = tmp_path / "feeds.txt"
    listing.write_text("\n".join([hostile.url("/good.rss"), hostile.url("/drip.rss"), hostile.other_protocol_url,
                                  hostile.url("/bad-status.rss")]) + "\n")
    out = tmp_path / "live"
    stream = newsbeam("stream", "--feeds", str(listing), "--no-follow-links", "--output", str(out), "--duration", "6",
                      "--poll-interval", "2", "--window", "60", "--timeout", "2")
    assert stream.returncode == 0, stream.stderr
    assert "Traceback" not in stream.stderr
    assert rows(out, "SELECT count(DISTINCT article_id) FROM articles") == [(2,)]
    failed = {source for (source,) in rows(out, "SELECT DISTINCT source FROM dead_letter")}
    assert failed == {hostile.url("/drip.rss"), hostile.other_protocol_url, hostile.url("/bad-status.rss")}


def test_ctrl_c_during_a_long_query_ends_in_one_line(seed_run, tmp_path):
    out = previous_output(seed_run, tmp_path / "out")
    query = subprocess.Popen([*NEWSBEAM, "sql", "SELECT count(*) FROM range(100000000000) a", "--output", str(out)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + LIMIT
    while _cpu_seconds(query.pid) < 6 and query.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)  # until DuckDB is busy with the query
    query.send_signal(signal.SIGINT)
    _, stderr = query.communicate(timeout=LIMIT)
    assert query.returncode == 130
    assert "Traceback" not in stderr and "interrupted" in stderr


def _cpu_seconds(pid: int) -> float:
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_duckdb_reads_an_output_under_a_folder_with_glob_characters(seed_run, tmp_path):
    out = previous_output(seed_run, tmp_path / "res[1]")  # `newsbeam run` into such a folder: the test above
    assert duckdb.connect().sql(
        f"SELECT count(*) FROM read_parquet('{catalog.escape_glob(str(out))}/articles/**/*.parquet')").fetchall() \
        == [(5,)]
