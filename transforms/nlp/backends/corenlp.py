"""Stanford CoreNLP's NER (German, Italian, Spanish) as a spaCy component, `corenlp_ner`.

spaCy's models for these languages are not on PyPI; CoreNLP's CRF classifiers are on Maven Central,
trained on news (Italian on FBK's, Spanish on AnCora, German on CoNLL and GermEval). `make corenlp`
builds corenlp/NerPipe.java and puts its classpath and the NER models into the venv (`corenlp/`
there, or $NEWSBEAM_CORENLP); nothing is downloaded at run time. One Java process per worker process
serves every language, over a pipe (no port is opened), and loads each model on its first article.
Without Java or the build the model counts as not installed and the names the run knows stand in.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import pathlib
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading

from spacy.language import Language

from transforms.nlp.tokens import glued_words

HEAP = os.environ.get("NEWSBEAM_CORENLP_HEAP", "2g")
# seconds for one answer, a model's first load included (Italian: ~10 s here); a stuck process is
# killed and the article becomes a dead letter rather than hang the run
TIMEOUT = float(os.environ.get("NEWSBEAM_CORENLP_TIMEOUT", "600"))
# one GC thread, and the heap given back after a model loads: resident memory with German alone
# ~400 MB, Italian (its gazetteers make it the largest) ~1.4 GB, all three ~1.5 GB (G1: 1.7-2.0 GB)
JVM_OPTIONS = ("-XX:+UseSerialGC", "-XX:MaxHeapFreeRatio=15", "-XX:MinHeapFreeRatio=5")
MAIN = "newsbeam.NerPipe"
PERSON_LABELS = ("PER", "PERSON")  # Italian's, German's and Spanish's
# words as the classifiers' news corpora cut them: a hyphenated name is one ("Bedford-Strohm"), an
# elided article its own ("dell'", "l'"), a name keeps its apostrophe ("D'Alema"), punctuation alone
_WORD = re.compile(r"\w+(?:[-‐'’]\w+)*|[^\w\s]")
_ELISION = re.compile(r"[^\W\d_]+['’](?=\w)")


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
        return subprocess.Popen([command, f"-Xmx{HEAP}", *JVM_OPTIONS, "-cp", str(home() / "lib" / "*"), MAIN],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)

    def ask(self, model: str, sentences: list[list[str]]) -> tuple[list[list[str]], list[list[float]]]:
        """Each sentence's labels, a label a word ("O" outside any entity), and their probabilities."""
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self.process = self.start()
            request = json.dumps({"model": model, "sentences": sentences}, ensure_ascii=True) + "\n"
            try:
                self.process.stdin.write(request.encode("ascii"))
                self.process.stdin.flush()
                ready, _, _ = select.select([self.process.stdout], [], [], TIMEOUT)
                answer = self.process.stdout.readline() if ready else None
            except (BrokenPipeError, OSError):
                answer = b""
            if not answer:
                self.process.kill()
                self.process.wait()
                self.process = None
                why = f"no answer in {TIMEOUT:.0f} s" if answer is None else f"process ended: {self._log_tail()}"
                raise RuntimeError(f"CoreNLP's NER: {why}")
        found = json.loads(answer)
        if "error" in found:
            raise RuntimeError(f"CoreNLP's NER: {found['error']}")
        return found["labels"], found["probs"]

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
atexit.register(_ENGINE.close)


def words(text: str) -> list[list[tuple[str, int, int]]]:
    """(word, start, end) of each line's words, cut as the classifiers were trained."""
    lines, offset = [], 0
    for line in text.splitlines(keepends=True):
        found = []
        for match in _WORD.finditer(line):
            word, start = match.group(), offset + match.start()
            elided = _ELISION.match(word) if word[:1].islower() else None
            if elided:
                found.append((elided.group(), start, start + elided.end()))
                word, start = word[elided.end():], start + elided.end()
            cuts = [0, *(glued.start() for glued in glued_words().finditer(word)), len(word)]  # "GuerraTonino"
            found += [(word[a:b], start + a, start + b) for a, b in itertools.pairwise(cuts)]
        if found:
            lines.append(found)
        offset += len(line)
    return lines


def corenlp_missing(language: str) -> str | None:
    """Why CoreNLP's NER cannot read this language here, with the fix; None when it can."""
    from transforms.languages import section

    model = section(language, "ner").get("corenlp")
    if model is None:
        return f"CoreNLP has no NER model for {language!r} here (its profile, data/languages/{language}.toml)"
    if not (home() / "models" / pathlib.PurePosixPath(model).name).exists():
        return f"CoreNLP's NER is not built in {home()}: run `make corenlp`"
    if java() is None:
        return "no java on PATH or in JAVA_HOME: CoreNLP's NER needs Java 17 or later"
    return None


class CoreNLPRecognizer:
    """Sets doc.ents to CoreNLP's spans; one per language and worker, all served by one Java process."""

    def __init__(self, model: str, sure: float = 0.0):
        """`sure`: the least probability the model gives each word of an entity it keeps. The words
        it reads as another kind of entity, or is as sure are none, are `doc.user_data["not_people"]`
        (their first characters)."""
        path = home() / "models" / pathlib.PurePosixPath(model).name
        if not (home() / "lib").is_dir() or not path.exists():
            raise OSError(f"CoreNLP's NER is not installed ({path}): run `make corenlp`")
        if java() is None:
            raise OSError("no java on PATH or in JAVA_HOME: CoreNLP's NER needs Java 17 or later")
        self.model, self.sure = str(path), sure
        try:
            _ENGINE.ask(self.model, [])  # loads the model now, so a broken install shows at once
        except RuntimeError as error:
            raise OSError(f"CoreNLP's NER does not start: {error}") from error

    def __call__(self, doc):
        from spacy.util import filter_spans

        lines = words(doc.text)
        spans = []
        labels, probs = _ENGINE.ask(self.model, [[word for word, _, _ in line] for line in lines])
        for line, line_labels, line_probs in zip(lines, labels, probs, strict=True):
            run: list[tuple[str, int, int, float]] = []  # (label, start, end, probability) of the entity's words
            ends = [*zip(line, line_labels, line_probs, strict=True), (("", 0, 0), "O", 1.0)]
            for (_, start, end), label, prob in ends:
                if run and label != run[-1][0]:
                    if min(p for *_, p in run) >= self.sure:
                        spans.append(doc.char_span(run[0][1], run[-1][2], label=run[0][0], alignment_mode="expand"))
                    run = []
                if label != "O":
                    run.append((label, start, end, prob))
        doc.ents = filter_spans([span for span in spans if span is not None])
        doc.user_data["not_people"] = frozenset(
            start for line, line_labels, line_probs in zip(lines, labels, probs, strict=True)
            for (_, start, _), label, prob in zip(line, line_labels, line_probs, strict=True)
            if label == "O" and prob >= self.sure or label not in ("O", *PERSON_LABELS))
        return doc


@Language.factory("corenlp_ner", default_config={"model": "", "sure": 0.0})
def make_corenlp_ner(nlp, name, model: str, sure: float):
    return CoreNLPRecognizer(model, sure)
