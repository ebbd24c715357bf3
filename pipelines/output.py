"""A run's output folder: committed whole, and only newsbeam's own files ever deleted.

A batch run writes its tables into a staging folder, `DIR/.newsbeam/run-ID/`, and swaps them in
only when every table is complete: a failed or killed run leaves the previous output as it was.
The swap is a few renames, recorded first in a journal (`DIR/.newsbeam/commit.json`), so a run
killed during the swap is finished by the next newsbeam command on DIR.

newsbeam's files are those listed in `DIR/.newsbeam/manifest.json` (what committed runs wrote) and
Parquet files named `part-HASH.parquet` whose bytes hash to HASH (how every writer, a stream's
included, names its files). Anything else in a table folder is the user's: a run refuses such an
output rather than replace it, and refuses an output that is, or holds, one of its inputs.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import uuid

from schemas import tables
from schemas.errors import UsageError
from schemas.tables import TABLES

STATE = tables.STATE_FOLDER
MANIFEST = "manifest.json"
JOURNAL = "commit.json"
FEEDS = tables.FEED_VALIDATORS
LOCK = "lock"
LOG = logging.getLogger("newsbeam")
_OWN_NAME = re.compile(r"^part-([0-9a-f]{20})\.parquet$")
_OWN_PARTIAL = re.compile(r"^\.part-[0-9a-f]{20}\.parquet\.inprogress$")


class OutputError(UsageError):
    """The output folder cannot be used as it is; the message says why and what to do."""


def is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _state(output: str, *names: str) -> str:
    return os.path.join(output, STATE, *names)


def _table_files(root: str) -> list[str]:
    """Every file and link under a table folder, relative to the output."""
    found = []
    for folder, folders, files in os.walk(root):
        folders.sort()
        found.extend(os.path.join(folder, name) for name in sorted(files))
        found.extend(os.path.join(folder, name) for name in folders if os.path.islink(os.path.join(folder, name)))
    return found


def _manifest(output: str) -> set[str]:
    try:
        with open(_state(output, MANIFEST), encoding="utf-8") as handle:
            return set(json.load(handle)["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def is_own(output: str, path: str, manifest: set[str]) -> bool:
    """Whether newsbeam wrote this file: listed in the manifest, or its name is the hash of its bytes."""
    if os.path.islink(path) or not os.path.isfile(path):
        return False
    if os.path.relpath(path, output) in manifest or _OWN_PARTIAL.match(os.path.basename(path)):
        return True
    named = _OWN_NAME.match(os.path.basename(path))
    if not named:
        return False
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest().startswith(named.group(1))


def foreign_files(output: str) -> list[str]:
    """Files in the output's table folders that newsbeam did not write."""
    manifest = _manifest(output)
    return [path for table in TABLES for path in _table_files(os.path.join(output, table))
            if not is_own(output, path, manifest)]


def check(output: str, inputs: list[str]) -> None:
    """Refuses an output that holds user files in its table folders, or that is or holds an input."""
    if not is_local(output):
        return
    output = output.removeprefix("file://")
    if os.path.exists(output) and not os.path.isdir(output):
        raise OutputError(f"--output {output!r} is a file, not a folder")
    real = os.path.realpath(output)
    for given in inputs:
        if not is_local(given):
            continue
        path = os.path.realpath(given.removeprefix("file://").split("*", 1)[0] or ".")
        if path == real or path.startswith(real.rstrip(os.sep) + os.sep):
            raise OutputError(f"--output {output!r} is or contains the input {given!r}; "
                              "write the output to another folder")
    recover(output)
    foreign = foreign_files(output)
    if foreign:
        shown = ", ".join(os.path.relpath(p, output) for p in foreign[:3])
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        raise OutputError(f"--output {output!r} holds files newsbeam did not write ({shown}{more}); "
                          "newsbeam replaces its table folders, so move them or choose another --output")


class Run:
    """One batch run's staging folder under the output, and its commit. Holds the output's lock."""

    def __init__(self, output: str):
        self.output = output.removeprefix("file://")
        self.id = uuid.uuid4().hex[:12]
        os.makedirs(_state(self.output), exist_ok=True)
        self._lock = open(_state(self.output, LOCK), "a+")  # noqa: SIM115 - held for the run's life
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            raise OutputError(f"another newsbeam run is writing to {self.output!r}") from None
        recover(self.output)
        self.staging = _state(self.output, f"run-{self.id}")
        os.makedirs(self.staging)

    def commit(self) -> None:
        """Swaps every table in at once; the previous tables' files are then deleted."""
        missing = [t for t in TABLES if not os.path.isdir(os.path.join(self.staging, t))]
        if missing:
            raise RuntimeError(f"the run wrote no {', '.join(missing)} table: the previous output is kept")
        _write_json(_state(self.output, JOURNAL), {"staging": os.path.basename(self.staging)})
        _finish(self.output, self.staging)

    def abandon(self) -> None:
        """A failed run: its staging folder goes; the output is untouched."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._lock.close()


class StreamOutput(Run):
    """A stream's output: locked for the stream's life; each window staged, then added at once."""

    def commit(self) -> list[str]:
        """Adds the window's files to the tables; returns the window folders it wrote (`window_start=...`)."""
        added = sorted({name for table in TABLES for path in _table_files(os.path.join(self.staging, table))
                        for name in os.path.relpath(path, self.staging).split(os.sep)
                        if name.startswith(f"{tables.WINDOW_COLUMN}=")})
        _write_json(_state(self.output, JOURNAL), {"staging": os.path.basename(self.staging), "add": True})
        _add(self.output, self.staging)
        self.staging = _state(self.output, f"run-{uuid.uuid4().hex[:12]}")
        os.makedirs(self.staging)
        return added

    def close(self) -> None:
        self.abandon()  # the next window's folder, not used
        super().close()


def recover(output: str) -> None:
    """Finishes a swap that a killed run had started, and removes staging folders of dead runs."""
    state = _state(output)
    if not os.path.isdir(state):
        return
    try:
        with open(_state(output, JOURNAL), encoding="utf-8") as handle:
            journal = json.load(handle)
        staging, adding = _state(output, journal["staging"]), bool(journal.get("add"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        staging = None
    if staging is not None:
        (_add if adding else _finish)(output, staging)
    probe = open(_state(output, LOCK), "a+")  # noqa: SIM115
    try:
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # a run is in progress: its staging folder is alive
    finally:
        probe.close()
    for name in os.listdir(state):
        if name.startswith("run-"):
            shutil.rmtree(os.path.join(state, name), ignore_errors=True)


def _finish(output: str, staging: str) -> None:
    """The swap: idempotent, so that it can be run again after a kill at any point inside it."""
    replaced = os.path.join(staging, "replaced")
    manifest = _manifest(output)
    for table in TABLES:
        new, current, old = (os.path.join(staging, table), os.path.join(output, table),
                             os.path.join(replaced, table))
        if not os.path.isdir(new):
            continue  # swapped in already
        if os.path.lexists(current):
            os.makedirs(replaced, exist_ok=True)
            os.rename(current, old)
        os.rename(new, current)
    files = [os.path.relpath(p, output) for t in TABLES for p in _table_files(os.path.join(output, t))]
    _write_json(_state(output, MANIFEST), {"files": files})
    os.remove(_state(output, JOURNAL))
    _delete_own(replaced, output, manifest)
    if os.path.isdir(replaced):  # a file appeared in a table folder during the run: it is kept, and said
        kept = _state(output, f"kept-{os.path.basename(staging)}")
        os.rename(replaced, kept)
        LOG.warning("files newsbeam did not write were in the replaced tables; they are kept in %s", kept)
    shutil.rmtree(staging, ignore_errors=True)


def _add(output: str, staging: str) -> None:
    """A stream's window: its files join the tables, its feed validators replace the old ones.
    Idempotent, like the swap: a kill at any point is finished by the next command on the output."""
    for table in TABLES:
        for path in _table_files(os.path.join(staging, table)):
            final = os.path.join(output, os.path.relpath(path, staging))
            os.makedirs(os.path.dirname(final), exist_ok=True)
            os.replace(path, final)  # a file of the same name has the same bytes (names are hashes)
    staged = os.path.join(staging, STATE, FEEDS)
    if os.path.exists(staged):
        with open(staged, encoding="utf-8") as handle:
            validators = json.load(handle)
        try:
            with open(_state(output, FEEDS), encoding="utf-8") as handle:
                validators = {**json.load(handle), **validators}
        except (OSError, ValueError, TypeError):
            pass
        _write_json(_state(output, FEEDS), validators)
    with contextlib.suppress(FileNotFoundError):
        os.remove(_state(output, JOURNAL))
    shutil.rmtree(staging, ignore_errors=True)


def _delete_own(root: str, output: str, manifest: set[str]) -> None:
    """Deletes newsbeam's files under a replaced table folder (judged by their old paths); keeps others."""
    for path in _table_files(root) if os.path.isdir(root) else []:
        relative = os.path.relpath(path, root)  # TABLE/... as it was under the output
        if relative in manifest or is_own(output, path, set()):
            os.remove(path)
    for folder, _, _ in sorted(os.walk(root), key=lambda entry: -len(entry[0])):
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def _write_json(path: str, value) -> None:
    temporary = f"{path}.{uuid.uuid4().hex[:8]}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(value, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


class RemoteRun:
    """A run into gs:// or another remote store: staged beside the tables, then moved file by file.

    Object stores have no folder rename, so the move is not atomic; a failed run still leaves the
    previous output whole, and only files named as newsbeam names them are replaced.
    """

    def __init__(self, output: str):
        from apache_beam.io.filesystems import FileSystems

        self.output = output.rstrip("/")
        self.staging = FileSystems.join(self.output, STATE, f"run-{uuid.uuid4().hex[:12]}")

    def commit(self) -> None:
        from apache_beam.io.filesystems import FileSystems

        def files(root: str) -> list[str]:
            return [m.path for m in FileSystems.match([FileSystems.join(root, "**")])[0].metadata_list]

        staged = [p for t in TABLES for p in files(FileSystems.join(self.staging, t))]
        old = [p for t in TABLES for p in files(FileSystems.join(self.output, t))
               if _OWN_NAME.match(p.rsplit("/", 1)[-1])]
        if old:
            FileSystems.delete(old)
        if staged:
            FileSystems.rename(staged, [self.output + p[len(self.staging):] for p in staged])

    def abandon(self) -> None:
        from apache_beam.io.filesystems import FileSystems

        with contextlib.suppress(Exception):
            FileSystems.delete([self.staging])

    def close(self) -> None:
        pass


def write_database(output: str, event: str) -> None:
    """OUT/newsbeam.duckdb beside a local output; a failure to write it costs the run nothing."""
    from schemas import catalog

    if not is_local(output):
        return
    try:
        catalog.write_database(output, event)
    except Exception as error:  # noqa: BLE001 - the tables are written; the database is a convenience
        LOG.warning("%s not written (%s: %s); the tables are complete", catalog.DATABASE, type(error).__name__, error)


def dead_letter_reasons(output: str) -> dict[str, int]:
    from schemas import catalog

    try:
        rows = catalog.connect(output).sql(
            "SELECT stage || ': ' || left(error, 80), count(*) FROM dead_letter GROUP BY 1 ORDER BY 2 DESC").fetchall()
    except Exception:  # noqa: BLE001 - a remote output, or none written: the record goes without
        return {}
    return dict(rows)


def write_run_record(output: str, record: dict) -> None:
    """OUT/run.json: what the run read, counted, rejected and took, with which versions and options."""
    if not is_local(output):
        return
    path = os.path.join(output, "run.json")
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump({**record, "dead_letters": dead_letter_reasons(output)}, handle, indent=2, default=str)
    os.replace(path + ".tmp", path)
