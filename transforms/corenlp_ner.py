"""Stanford CoreNLP's NER (German, Italian, Spanish), shaped like a spaCy pipeline for
multilingual.OtherLanguages.

spaCy's models for these languages are not on PyPI; CoreNLP's CRF classifiers are on Maven Central,
trained on news (Italian on FBK's, Spanish on AnCora, German on CoNLL and GermEval). `make corenlp`
builds corenlp/NerPipe.java and puts its classpath and the NER models into the venv (`corenlp/`
there, or $NEWSBEAM_CORENLP); nothing is downloaded at run time. One Java process per worker process
serves every language, over a pipe (no port is opened), and loads each model on its first article.
Without Java or the build the model counts as not installed and the names the run knows stand in.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading

HEAP = os.environ.get("NEWSBEAM_CORENLP_HEAP", "2g")
MAIN = "newsbeam.NerPipe"


def home() -> pathlib.Path:
    return pathlib.Path(os.environ.get("NEWSBEAM_CORENLP") or pathlib.Path(sys.prefix) / "corenlp")


def java() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (pathlib.Path(java_home) / "bin" / "java").exists():
        return str(pathlib.Path(java_home) / "bin" / "java")
    return shutil.which("java")


class _Engine:
    """The Java process, started on the first request and again after it dies."""

    def __init__(self):
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.log = None

    def start(self) -> subprocess.Popen:
        command = java()
        if command is None:
            raise OSError("no java on PATH or in JAVA_HOME: CoreNLP's NER needs Java 17 or later")
        self.log = tempfile.TemporaryFile()  # CoreNLP's messages; read back when the process dies
        return subprocess.Popen([command, f"-Xmx{HEAP}", "-cp", str(home() / "lib" / "*"), MAIN],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)

    def ask(self, model: str, text: str) -> list:
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self.process = self.start()
            request = json.dumps({"model": model, "text": text}, ensure_ascii=True) + "\n"
            try:
                self.process.stdin.write(request.encode("ascii"))
                self.process.stdin.flush()
                answer = self.process.stdout.readline()
            except (BrokenPipeError, OSError):
                answer = b""
            if not answer:
                self.process.kill()
                self.process.wait()
                self.process = None
                raise RuntimeError(f"CoreNLP's NER process ended: {self._log_tail()}")
        found = json.loads(answer)
        if "error" in found:
            raise RuntimeError(f"CoreNLP's NER: {found['error']}")
        return found["spans"]

    def _log_tail(self) -> str:
        if self.log is None:
            return ""
        self.log.seek(0)
        lines = self.log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else "no message"

    def close(self):
        with self.lock:
            if self.process is not None and self.process.poll() is None:
                self.process.stdin.close()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
            self.process = None


_ENGINE = _Engine()


def _code_points(text: str) -> list[int] | None:
    """Java's UTF-16 offsets -> Python's code-point offsets, or None when they agree (no emoji)."""
    if all(ord(c) < 0x10000 for c in text):
        return None
    index = []
    for i, c in enumerate(text):
        index += [i, i] if ord(c) >= 0x10000 else [i]
    return index + [len(text)]


class CoreNLPPipeline:
    """`nlp(text)` -> a spaCy Doc whose ents are CoreNLP's spans; one per language and worker."""

    pipe_names: list[str] = []

    def __init__(self, model: str):
        import spacy

        path = home() / "models" / pathlib.PurePosixPath(model).name
        if not (home() / "lib").is_dir() or not path.exists():
            raise OSError(f"CoreNLP's NER is not installed ({path}): run `make corenlp`")
        if java() is None:
            raise OSError("no java on PATH or in JAVA_HOME: CoreNLP's NER needs Java 17 or later")
        self.model = str(path)
        self.tokenizer = spacy.blank("xx")
        _ENGINE.ask(self.model, "")  # loads the model now, so a broken install shows at once

    def __call__(self, text: str, disable=None):
        from spacy.util import filter_spans

        doc = self.tokenizer(text)
        index = _code_points(text)
        spans = []
        for label, start, end in _ENGINE.ask(self.model, text):
            if index is not None:
                start, end = index[start], index[end]
            spans.append(doc.char_span(start, end, label=label, alignment_mode="expand"))
        doc.ents = filter_spans([span for span in spans if span is not None])
        return doc
