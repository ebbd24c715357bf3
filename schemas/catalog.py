"""DuckDB over a run's output: every table registered as a view, and the named queries."""

from __future__ import annotations

import glob
import os
import re
import tomllib
from importlib import resources

import duckdb

from schemas.errors import UsageError
from schemas.tables import TABLES, to_arrow


class MissingOutput(UsageError):
    pass


class UnknownQuery(UsageError):
    pass


def connect(output: str, connection: duckdb.DuckDBPyConnection | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per table of the run written to `output`.

    A table with no file yet (a streaming run's first window is still open) is an empty view with
    the table's columns, so queries work while a stream runs.
    """
    connection = connection or duckdb.connect()
    found = 0
    for table in TABLES:
        pattern = f"{escape_glob(output.rstrip('/'))}/{table}/**/*.parquet"
        if connection.execute("SELECT count(*) FROM glob(?)", [pattern]).fetchall()[0][0]:
            found += 1
            connection.execute(
                f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{_quote(pattern)}', hive_partitioning = true)")
        else:
            connection.register(f"empty_{table}", to_arrow(table, []))
            connection.execute(f"CREATE VIEW {table} AS SELECT * FROM empty_{table}")
    if not found:
        raise MissingOutput(f"no Parquet files under {output!r}: run `newsbeam run --output DIR` first")
    return connection


def escape_glob(path: str) -> str:
    """A folder name as DuckDB's glob reads it literally (`res[1]` is no character class)."""
    return glob.escape(path)


def _quote(text: str) -> str:
    return text.replace("'", "''")


TABLES_QUERY = "tables"


def query_names() -> list[str]:
    files = resources.files("schemas").joinpath("queries").iterdir()
    return sorted([TABLES_QUERY] + [f.name.removesuffix(".sql") for f in files if f.name.endswith(".sql")])


def query_aliases() -> dict[str, str]:
    """Old query names that still work: old name -> current name (queries/aliases.toml)."""
    with resources.files("schemas").joinpath("queries", "aliases.toml").open("rb") as handle:
        return tomllib.load(handle)


def describe(name: str) -> str:
    """A named query's one-line description: the first sentence of the comment that opens its SQL."""
    comment = []
    for line in named_query(name).splitlines():
        if not line.startswith("--"):
            break
        comment.append(line.removeprefix("--").strip())
    text = " ".join(comment)
    end = text.find(". ")
    return text[:end + 1] if end >= 0 else text


def named_query(name: str) -> str:
    name = query_aliases().get(name, name)
    if name == TABLES_QUERY:  # written from the table list, so a new table is counted too
        counts = " UNION ALL ".join(f"SELECT '{table}' AS \"table\", count(*) AS \"rows\" FROM {table}"
                                    for table in TABLES)
        return f"-- Row counts of every output table: a first look at a run.\n{counts}"
    if name not in query_names():
        raise UnknownQuery(f"no query named {name!r}; known: {', '.join(query_names())}")
    return resources.files("schemas").joinpath("queries", f"{name}.sql").read_text()


DATABASE = "newsbeam.duckdb"


def write_database(output: str, event: str) -> str:
    """OUTPUT/newsbeam.duckdb: every table a view over the run's Parquet, every named query a view
    under its name and its old names (`event_status_daily`; event-type queries count `event`, the
    default type, unless `SET VARIABLE event = 'talks'`), so `duckdb OUT/newsbeam.duckdb` and any tool
    that speaks DuckDB work at once.

    The views name the Parquet by absolute path (DuckDB reads a relative path from the current
    folder, not the database's): after moving the folder, the next run into it writes them again.
    Written under a temporary name and renamed: a reader never sees half a file."""
    folder = os.path.abspath(output)
    path = os.path.join(folder, DATABASE)
    temporary = path + ".tmp"
    for stale in (temporary, temporary + ".wal"):
        if os.path.exists(stale):
            os.remove(stale)
    connection = duckdb.connect(temporary)
    try:
        for table in TABLES:
            pattern = f"{escape_glob(folder)}/{table}/**/*.parquet"
            if connection.execute("SELECT count(*) FROM glob(?)", [pattern]).fetchall()[0][0]:
                connection.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{_quote(pattern)}', "
                                   "hive_partitioning = true)")
            else:  # no file yet (a stream's first window): an empty table with the columns
                connection.register("empty", to_arrow(table, []))
                connection.execute(f"CREATE TABLE {table} AS SELECT * FROM empty")
                connection.unregister("empty")
        default = f"coalesce(getvariable('event'), '{_quote(event)}')"
        for name in [*query_names(), *query_aliases()]:
            statement = named_query(name).replace("getvariable('event')", default)
            connection.execute(f"CREATE VIEW {re.sub(r'[^a-z0-9]+', '_', name)} AS {statement}")
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
    os.replace(temporary, path)
    return path


def interruptible(connection, work):
    """Runs DuckDB work in a thread so that Ctrl-C reaches Python at once; it then interrupts DuckDB."""
    import sys
    import threading

    outcome: dict = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="duckdb", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.2)
    except KeyboardInterrupt:
        # Stop the query, then leave at once: unwinding DuckDB's threads at exit after an interrupt
        # aborts the process (seen with DuckDB 2.0).
        connection.interrupt()
        thread.join(10)
        print("newsbeam: interrupted", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
