"""The output tables: names, Parquet schemas derived from the record types, and row conversion.

Column names and types are spelled once, in `schemas.records`; everything here derives from them.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing

import pyarrow as pa

from schemas.records import Article, DeadLetter, EntityMention, EventMention, StatusMention, TopicTag

ARTICLES, ENTITIES, TOPICS, STATUSES, DEAD_LETTER = "articles", "entities", "topics", "status_mentions", "dead_letter"
EVENTS = "event_mentions"
TABLES: dict[str, type] = {
    ARTICLES: Article,
    ENTITIES: EntityMention,
    TOPICS: TopicTag,
    STATUSES: StatusMention,
    EVENTS: EventMention,
    DEAD_LETTER: DeadLetter,
}

TABLE_OF: dict[type, str] = {record_type: table for table, record_type in TABLES.items()}

PARTITION_COLUMN = "published_date"
STATE_FOLDER = ".newsbeam"  # newsbeam's own files in an output: staging, journal, manifest, lock
FEED_VALIDATORS = "feeds.json"  # in STATE_FOLDER: a stream's feed ETags and Last-Modified, per feed
# A stream's window folders, `window_start=20261129T053000Z`: UTC, no colons (not allowed in every file system).
WINDOW_COLUMN = "window_start"

_ARROW_TYPES = {
    str: pa.string(),
    bool: pa.bool_(),
    int: pa.int64(),
    float: pa.float64(),
    datetime.date: pa.date32(),
}


def _arrow_field(name: str, hint) -> pa.Field:
    args = typing.get_args(hint)
    nullable = isinstance(hint, types.UnionType) and type(None) in args
    base = next(a for a in args if a is not type(None)) if nullable else hint
    return pa.field(name, _ARROW_TYPES[base], nullable=nullable)


def arrow_schema(table: str) -> pa.Schema:
    record_type = TABLES[table]
    hints = typing.get_type_hints(record_type)
    return pa.schema([_arrow_field(f.name, hints[f.name]) for f in dataclasses.fields(record_type)])


def is_partitioned(table: str) -> bool:
    return PARTITION_COLUMN in arrow_schema(table).names


def partition_value(record) -> str:
    """Hive partition folder value; a null date goes where Hive and DuckDB expect nulls."""
    value = getattr(record, PARTITION_COLUMN, None)
    return value.isoformat() if value else "__HIVE_DEFAULT_PARTITION__"


def window_value(start: float) -> str:
    """The window folder's value for a window starting at unix time `start`."""
    return datetime.datetime.fromtimestamp(start, datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def to_arrow(table: str, records: list) -> pa.Table:
    schema = arrow_schema(table)
    columns = {name: [getattr(r, name) for r in records] for name in schema.names}
    return pa.table(columns, schema=schema)
