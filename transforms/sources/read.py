"""Read stage: every input file becomes one Document, or one dead_letter row saying why not.

Inputs are files, folders (walked recursively) and globs, local or remote (gs://). In a folder or a
glob only article files are taken (`DEFAULT_INCLUDE`, not `DEFAULT_EXCLUDE`, or the user's
--include/--exclude); the rest are counted as skipped. A broken link, a link loop, a FIFO, socket or
device is a dead letter and is never opened for reading: nothing found is silently lost.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import errno
import fnmatch
import glob
import hashlib
import os
import posixpath
import re
import stat

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from schemas.records import DeadLetter, Document
from transforms.common import DEAD_LETTER, Progress, timed, tune_allocator

STAGE = "read"
DEFAULT_MAX_BYTES = 5_000_000
LOCATED = "located"  # (article_id, InputFile): where a second read finds an article's file

# Seed 003 starts with " date 2025-10-31 ": a metadata prefix, not article text.
_METADATA_DATE = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})\b\s*", re.IGNORECASE)
# Control characters other than tab, newline, form feed and carriage return mark a binary file.
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})


DEFAULT_INCLUDE = ("*.txt", "*.text", "*.html", "*.htm", "*.xhtml")
# Files that travel with corpora and code but are no articles (matched on the name, any case).
DEFAULT_EXCLUDE = ("readme*", "license*", "licence*", "copying*", "notice*", "changelog*", "changes*",
                   "authors*", "contributing*", "robots.txt", "requirements*.txt", "*.py")
_GLOB_CHARACTERS = re.compile(r"[*?[]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)


def article_id_for(name: str | bytes, content: bytes) -> str:
    """Stable across runs and machines: the file's name within its input and its bytes, not where the
    input was mounted. Names are bytes, so a name that is not UTF-8 is still a name."""
    return hashlib.sha256(os.fsencode(name) + b"\0" + content).hexdigest()[:16]


def printable(path: str | bytes) -> str:
    """A path as text for the tables: bytes of a name that is not UTF-8 shown as \\xNN."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def declared_charset(content: bytes) -> str | None:
    """The encoding a web page declares in its first 4 KiB (`<meta charset>`, http-equiv), if Python knows it."""
    match = _META_CHARSET.search(content[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1") else name  # as browsers read Latin-1 pages


def decode(content: bytes) -> str:
    """A page's declared encoding, else UTF-8, else Windows-1252; raises ValueError with the reason otherwise."""
    if not content.strip():
        raise ValueError("empty file")
    if b"\0" in content[:8192] or sum(content[:8192].count(b) for b in _CONTROL_BYTES) > 8:
        raise ValueError("binary file: control bytes in the first 8 KiB")
    declared = declared_charset(content)
    if declared not in (None, "utf-8", "ascii"):
        try:
            return content.decode(declared)
        except UnicodeDecodeError:
            pass  # a wrong declaration: the usual guesses follow
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




@dataclasses.dataclass(frozen=True)
class Filters:
    """Which files of a folder or glob are articles: a name matching `include` and no `exclude`."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE

    def takes(self, name: str) -> bool:
        base = posixpath.basename(name).lower()
        return (any(fnmatch.fnmatchcase(base, p.lower()) or fnmatch.fnmatchcase(name.lower(), p.lower())
                    for p in self.include)
                and not any(fnmatch.fnmatchcase(base, p.lower()) or fnmatch.fnmatchcase(name.lower(), p.lower())
                            for p in self.exclude))


@dataclasses.dataclass(frozen=True)
class InputFile:
    """A file found under an input: its path, and its name within that input (part of its id).

    Both are bytes, as the file system gives them: a name need not be UTF-8, and Beam's coders
    cannot carry the str Python makes of such a name."""

    path: bytes
    name: bytes


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _is_hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/") if part not in ("", ".", ".."))


def _link_problem(path: str) -> str | None:
    """Why a path cannot be read as a file, without opening it; None for a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        if os.path.islink(path):
            return "broken symbolic link: its target does not exist"
        return f"cannot stat: {error.strerror}"
    if stat.S_ISREG(mode):
        return None
    kind = ("FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
            else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")
    return f"not a regular file: a {kind} (never opened)"


class ListInputsFn(beam.DoFn):
    """An input (file, folder or glob) -> InputFiles, and dead letters for what cannot be read."""

    def __init__(self, filters: Filters, counters: str):
        self.filters = filters
        self.skipped = Metrics.counter(counters, "skipped_files")
        self.listed = Metrics.counter(counters, "files")

    def process(self, pattern: str):
        found = self._local(pattern) if _is_local(pattern) else self._remote(pattern)
        for path, name, problem in found:
            if name is not None and (_is_hidden(name) or not self.filters.takes(name)):
                self.skipped.inc()
                continue
            if problem:
                yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(printable(path), STAGE, problem))
                continue
            self.listed.inc()
            yield InputFile(os.fsencode(path), os.fsencode(name if name is not None else posixpath.basename(path)))

    def _local(self, pattern: str):
        """(path, name within the input or None for a file named directly, problem or None)."""
        path = pattern.removeprefix("file://")
        if not _GLOB_CHARACTERS.search(path) or os.path.lexists(path):
            if os.path.isdir(path):
                root = os.path.normpath(path)
                yield from self._walk(root, os.path.basename(root))
            else:
                yield path, None, _link_problem(path)
            return
        prefix = _GLOB_CHARACTERS.split(path, 1)[0].rsplit("/", 1)[0] if "/" in path else ""
        for match in sorted(glob.glob(path, recursive=True)):
            if os.path.isdir(match):
                continue
            yield match, os.path.relpath(match, prefix or "."), _link_problem(match)

    def _walk(self, root: str, name: str, seen: set | None = None):
        """Every file under a folder; folder links are followed once (a loop is reported, not walked)."""
        seen = set() if seen is None else seen
        try:
            info = os.stat(root)
            if (info.st_dev, info.st_ino) in seen:
                yield root, None, "symbolic link loop"
                return
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(root), key=lambda e: e.name)
        except OSError as error:
            yield root, None, f"cannot list folder: {error.strerror}"
            return
        for entry in entries:
            child, child_name = os.path.join(root, entry.name), f"{name}/{entry.name}"
            try:
                is_folder = entry.is_dir()  # follows links
            except OSError:
                is_folder = False
            if is_folder:
                if not _is_hidden(entry.name):
                    yield from self._walk(child, child_name, seen)
            else:
                yield child, child_name, _link_problem(child)

    def _remote(self, pattern: str):
        if pattern.endswith("/"):
            pattern += "**"
        prefix = _GLOB_CHARACTERS.split(pattern, 1)[0].rsplit("/", 1)[0]
        direct = not _GLOB_CHARACTERS.search(pattern)
        for metadata in FileSystems.match([pattern])[0].metadata_list:
            name = None if direct else metadata.path[len(prefix):].lstrip("/")
            yield metadata.path, name, None


class ParseDocumentFn(beam.DoFn):
    """An InputFile -> a Document, or a dead letter with the reason; with `locate`, also (article_id,
    InputFile) in LOCATED, by which a second read finds the file again."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, counters: str = STAGE, locate: bool = False):
        self.max_bytes = max_bytes
        self.locate = locate
        self.read = Metrics.counter(counters, "documents")
        self.rejected = Metrics.counter(counters, "rejected")
        self.counters = counters

    def setup(self):
        tune_allocator()  # a worker's first stage, if newsbeam did not start the worker
        self.progress = Progress(self.counters)

    def finish_bundle(self):
        self.progress.finish()

    @timed("read")
    def process(self, found: InputFile):
        content = b""
        path = os.fsdecode(found.path)
        try:
            content = self._content(path)
            text, metadata_date = split_metadata(decode(content))
            if not text.strip():
                raise ValueError("no text after the metadata prefix")
        except (ValueError, OSError) as error:
            self.rejected.inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(printable(path), STAGE, str(error), content))
            return
        self.read.inc()
        self.progress.advance()
        article_id = article_id_for(found.name, content)
        yield Document(article_id=article_id, source=printable(path), text=text, metadata_date=metadata_date)
        if self.locate:
            yield beam.pvalue.TaggedOutput(LOCATED, (article_id, found))

    def _content(self, path: str) -> bytes:
        if not _is_local(path):
            size = FileSystems.match([path])[0].metadata_list[0].size_in_bytes
            self._check_size(size)
            with FileSystems.open(path, compression_type="uncompressed") as handle:
                return handle.read(self.max_bytes + 1)
        # Non-blocking, and checked once open: a file swapped for a FIFO since listing cannot hang the run.
        descriptor = os.open(path.removeprefix("file://"), os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise ValueError("not a regular file (never read)")
            self._check_size(info.st_size)
            return handle.read(self.max_bytes + 1)

    def _check_size(self, size: int) -> None:
        if size > self.max_bytes:
            raise ValueError(f"too large: {size} bytes (limit {self.max_bytes}, see --max_bytes)")


class ReadAgainFn(ParseDocumentFn):
    """What a batch run reads a second time: an InputFile is parsed again, a feed item (a Document,
    fetched once) is itself."""

    def process(self, item):
        if isinstance(item, Document):
            yield item
        else:
            yield from super().process(item)


class ReadDocuments(beam.PTransform):
    """Inputs (files, folders, globs; local or gs://) to Documents; outputs `documents` and `dead_letter`,
    and with `locate` `located`: (article_id, InputFile) of each Document."""

    def __init__(self, patterns: list[str], max_bytes: int = DEFAULT_MAX_BYTES, counters: str = STAGE,
                 filters: Filters = Filters(), locate: bool = False):
        super().__init__()
        self.patterns = patterns
        self.max_bytes = max_bytes
        self.counters = counters  # a second read of the same files counts under another name
        self.filters = filters
        self.locate = locate

    def expand(self, pipeline):
        listed = (pipeline
                  | "Inputs" >> beam.Create(self.patterns)
                  | "List" >> beam.ParDo(ListInputsFn(self.filters, self.counters)).with_outputs(
                      DEAD_LETTER, main="files"))
        read = (
            listed.files
            # A file under two inputs is read once. The shuffle also spreads the files: without it a runner
            # would read and analyse the whole input on the worker that listed it.
            | "ByPath" >> beam.Map(lambda found: (found.path, found.name))
            | "Once" >> beam.CombinePerKey(min)
            | "Files" >> beam.MapTuple(InputFile)
            | "Parse" >> beam.ParDo(ParseDocumentFn(self.max_bytes, self.counters, self.locate)).with_outputs(
                DEAD_LETTER, LOCATED, main="documents")
        )
        dead = (listed[DEAD_LETTER], read[DEAD_LETTER]) | "DeadLetters" >> beam.Flatten()
        located = {LOCATED: read[LOCATED]} if self.locate else {}
        return {"documents": read.documents, DEAD_LETTER: dead, **located}
