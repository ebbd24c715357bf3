"""Read stage: one input file becomes one Document, or one dead_letter row saying why not."""

from __future__ import annotations

import datetime
import hashlib
import posixpath
import re

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.metrics import Metrics

from schemas.records import DeadLetter, Document
from transforms.common import DEAD_LETTER, timed

STAGE = "read"
DEFAULT_MAX_BYTES = 5_000_000

# Seed 003 starts with " date 2025-10-31 ": a metadata prefix, not article text.
_METADATA_DATE = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})\b\s*", re.IGNORECASE)
# Control characters other than tab, newline, form feed and carriage return mark a binary file.
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})


def article_id_for(name: str, content: bytes) -> str:
    """Stable across runs and machines: the file's own name and bytes, not where it was mounted."""
    return hashlib.sha256(name.encode("utf-8") + b"\0" + content).hexdigest()[:16]


def decode(content: bytes) -> str:
    """UTF-8 first, Windows-1252 for legacy pages; raises ValueError with the reason otherwise."""
    if not content.strip():
        raise ValueError("empty file")
    if b"\0" in content[:8192] or sum(content[:8192].count(b) for b in _CONTROL_BYTES) > 8:
        raise ValueError("binary file: control bytes in the first 8 KiB")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            raise ValueError(f"undecodable: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start})"
                             " nor Windows-1252") from None


def split_metadata(text: str) -> tuple[str, datetime.date | None]:
    """Removes a leading `date YYYY-MM-DD` marker and returns it as the metadata date."""
    match = _METADATA_DATE.match(text)
    if not match:
        return text, None
    try:
        day = datetime.date(*map(int, match.groups()))
    except ValueError:
        return text, None
    return text[match.end():], day


class ParseDocumentFn(beam.DoFn):
    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, counters: str = STAGE):
        self.max_bytes = max_bytes
        self.read = Metrics.counter(counters, "documents")
        self.rejected = Metrics.counter(counters, "rejected")

    @timed("read")
    def process(self, readable: fileio.ReadableFile):
        path = readable.metadata.path
        content = b""
        try:
            if readable.metadata.size_in_bytes > self.max_bytes:
                raise ValueError(f"too large: {readable.metadata.size_in_bytes} bytes"
                                 f" (limit {self.max_bytes}, see --max_bytes)")
            content = readable.read()
            text, metadata_date = split_metadata(decode(content))
            if not text.strip():
                raise ValueError("no text after the metadata prefix")
        except (ValueError, OSError) as error:
            self.rejected.inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(path, STAGE, str(error), content))
            return
        self.read.inc()
        yield Document(
            article_id=article_id_for(posixpath.basename(path), content),
            source=path,
            text=text,
            metadata_date=metadata_date,
        )


def _skip_hidden(readable_metadata) -> bool:
    return not posixpath.basename(readable_metadata.path).startswith(".")


class ReadDocuments(beam.PTransform):
    """File patterns (local paths, gs://...) to Documents; outputs `documents` and `dead_letter`."""

    def __init__(self, patterns: list[str], max_bytes: int = DEFAULT_MAX_BYTES, counters: str = STAGE):
        super().__init__()
        self.patterns = patterns
        self.max_bytes = max_bytes
        self.counters = counters  # a second read of the same files counts under another name

    def expand(self, pipeline):
        return (
            pipeline
            | "Patterns" >> beam.Create(self.patterns)
            | "Match" >> fileio.MatchAll()
            | "SkipHidden" >> beam.Filter(_skip_hidden)
            # Matching yields every file from one element: without a shuffle of the (small) file
            # metadata, a runner would read and analyse the whole input on the worker that matched.
            | "Spread" >> beam.Reshuffle()
            | "Open" >> fileio.ReadMatches()
            | "Parse" >> beam.ParDo(ParseDocumentFn(self.max_bytes, self.counters)).with_outputs(
                DEAD_LETTER, main="documents")
        )
