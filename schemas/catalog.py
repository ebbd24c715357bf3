"""DuckDB over a run's output: every table registered as a view, and the named queries."""

from __future__ import annotations

from importlib import resources

import duckdb

from schemas.tables import TABLES


class MissingOutput(Exception):
    pass


def connect(output: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per table of the run written to `output`."""
    connection = duckdb.connect()
    for table in TABLES:
        pattern = f"{output.rstrip('/')}/{table}/**/*.parquet"
        if not connection.execute("SELECT count(*) FROM glob(?)", [pattern]).fetchall()[0][0]:
            raise MissingOutput(f"no Parquet files for table {table!r} under {output!r}: "
                                "run `newsbeam run --output DIR` first")
        connection.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{_quote(pattern)}', hive_partitioning = true)")
    return connection


def _quote(text: str) -> str:
    return text.replace("'", "''")


def query_names() -> list[str]:
    files = resources.files("schemas").joinpath("queries").iterdir()
    return sorted(f.name.removesuffix(".sql") for f in files if f.name.endswith(".sql"))


def named_query(name: str) -> str:
    if name not in query_names():
        raise KeyError(f"no query named {name!r}; known: {', '.join(query_names())}")
    return resources.files("schemas").joinpath("queries", f"{name}.sql").read_text()
