"""IPTC Media Topics: each article's subjects (level 1) and the narrower topics under them (level 2).

The 17 subjects and their second-level topics are data (data/iptc.toml). An article's subject comes
from a linear model over its words in its language blended with the shares of that language's subject
words it holds (English: iptc.toml's `words`; another language: its profile's [subjects] section). The
models are data/topics_model.npz (English: half of the BBC corpus and labelled pages) and
data/topics_model.LANG.npz (another language: labelled pages in it), retrained by `make topics-model`
(evals/topics_train.py); a language with subject words and no model gets its subject from the words
alone. The second-level
topics are the themes of topics.toml (phrases per language, transforms/nlp/topics.py), each under its
IPTC code, kept when their subject is one of the article's.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter, defaultdict

from transforms.common import data_dirs, load_data
from transforms.languages import ENGLISH, section, with_section

TAXONOMY = "iptc.toml"
MODEL = "topics_model.npz"


def model_file(language: str) -> str:
    """The name of a language's subject model: topics_model.npz for English, topics_model.LANG.npz else."""
    return MODEL if language == ENGLISH else MODEL.replace(".npz", f".{language}.npz")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# the key of a lexicon's entries that signal no subject (Lexicon)
NO_SUBJECT = "none"
# the key of a profile's [subjects] that lists the short words its language glues to the next word with an
# apostrophe ("l'économie", "dell'economia"): the lexicon reads the word without them
ELIDED = "elided"
APOSTROPHES = "'’"
TITLE_WEIGHT = 2  # the headline's words count twice: it says what the article is about
# The model's share of an article's subject scores, its language's subject words having the rest: 0.6, and
# for English 0.7 since its model's bias is corrected for how many training articles each subject had
# (evals/topics_train.PRIOR); chosen on DEV (evals/topics_dev.py: recent English left out by source, Lee, BBC CV)
MODEL_WEIGHT = 0.6
MODEL_WEIGHTS = {ENGLISH: 0.7}


def words(title: str | None, text: str) -> list[str]:
    """The article's words, lower case, the headline's repeated TITLE_WEIGHT times."""
    found = WORD.findall(text.lower())
    return WORD.findall((title or "").lower()) * TITLE_WEIGHT + found


@dataclasses.dataclass(frozen=True)
class Subject:
    code: str
    name: str
    level: int
    parent: str | None
    labels: dict


def taxonomy() -> dict[str, Subject]:
    return {code: Subject(code, spec["name"], spec["level"], spec.get("parent"), spec.get("labels", {}))
            for code, spec in load_data(TAXONOMY)["subject"].items()}


def subjects() -> list[str]:
    """The 17 level-1 codes, in code order (the model's classes)."""
    return sorted(code for code, s in taxonomy().items() if s.level == 1)


class Lexicon:
    """Words and phrases per subject in one language: `*` at a word's end matches every word it begins,
    at its start every word it ends (German compounds: "*wahl" is "Landtagswahl" too). Entries under
    NO_SUBJECT are uses of a subject word that signal no subject (a second sense, "à ce stade"; page furniture,
    "crédit photo"): their words are skipped."""

    def __init__(self, entries: dict[str, list[str]], elided: tuple[str, ...] | list[str] = ()):
        self.exact, self.stems, self.ends = defaultdict(set), defaultdict(set), defaultdict(set)
        self.phrases = defaultdict(list)
        self.neutral: set[str] = set()
        self.elided = frozenset(elided)
        for code, phrases in entries.items():
            for phrase in phrases:
                first, *rest = [self.bare(word) for word in phrase.lower().replace("-", " ").split()]
                if code == NO_SUBJECT and not rest:
                    self.neutral.add(first)
                    continue
                if rest:
                    self.phrases[first.rstrip("*")].append((first.endswith("*"), tuple(rest), code))
                elif first.endswith("*"):
                    self.stems[first[:-1]].add(code)
                elif first.startswith("*"):
                    self.ends[first[1:]].add(code)
                else:
                    self.exact[first].add(code)
        self.stem_lengths = sorted({len(stem) for stem in self.stems})
        self.end_lengths = sorted({len(end) for end in self.ends})
        self.phrase_lengths = sorted({len(first) for first in self.phrases})

    @classmethod
    def of(cls, language: str) -> Lexicon:
        if language == ENGLISH:
            return cls({code: spec.get("words", []) for code, spec in load_data(TAXONOMY)["subject"].items()})
        entries = dict(section(language, "subjects"))
        return cls(entries, entries.pop(ELIDED, ()))

    def bare(self, word: str) -> str:
        """The word without an elided word glued to its front ("l'économie" -> "économie")."""
        for i, c in enumerate(word[:8]):
            if c in APOSTROPHES:
                return word[i + 1:] if word[:i] in self.elided and i + 1 < len(word) else word
        return word

    def _codes(self, word: str) -> set[str]:
        found = set(self.exact.get(word, ()))
        for length in self.stem_lengths:
            if length > len(word):
                break
            found |= self.stems.get(word[:length], set())
        for length in self.end_lengths:
            if length >= len(word):
                break
            found |= self.ends.get(word[-length:], set())
        return found

    def counts(self, tokens: list[str]) -> Counter:
        """Matches per subject code; a word inside a matched phrase counts once, for the phrase."""
        if self.elided:
            tokens = [self.bare(word) for word in tokens]
        counts, skip = Counter(), 0
        for i, word in enumerate(tokens):
            if skip:
                skip -= 1
                continue
            phrase = self._phrase_at(tokens, i)
            if phrase:
                if phrase[1] != NO_SUBJECT:
                    counts[phrase[1]] += 1
                skip = phrase[0] - 1
                continue
            if word in self.neutral:
                continue
            for code in self._codes(word):
                counts[code] += 1
        return counts

    def _phrase_at(self, tokens: list[str], i: int) -> tuple[int, str] | None:
        word = tokens[i]
        for length in self.phrase_lengths:
            if length > len(word):
                break
            for prefix, rest, code in self.phrases.get(word[:length], ()):
                if (prefix or length == len(word)) and _matches(rest, tokens[i + 1:i + 1 + len(rest)]):
                    return 1 + len(rest), code
        return None


def _matches(pattern: tuple[str, ...], tokens: list[str]) -> bool:
    return len(tokens) == len(pattern) and all(
        t.startswith(p[:-1]) if p.endswith("*") else t == p for p, t in zip(pattern, tokens, strict=True))


class TopicModel:
    """Multinomial logistic regression over words: log(1 + count) x idf, L2-normalised, one weight row per
    subject. Loaded from data/topics_model.npz (vocabulary, idf, weights, bias, classes)."""

    def __init__(self, vocabulary: list[str], idf, weights, bias, classes: list[str]):
        import numpy as np

        self.index = {word: i for i, word in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.classes = list(classes)

    @classmethod
    def load(cls, path=None) -> TopicModel:
        import numpy as np

        path = path or cls.find(ENGLISH)
        with np.load(path, allow_pickle=False) as saved:
            return cls([str(w) for w in saved["vocabulary"]], saved["idf"], saved["weights"].astype(np.float32),
                       saved["bias"], [str(c) for c in saved["classes"]])

    @staticmethod
    def find(language: str):
        """The path of a language's model in the data folders, or None when it has none."""
        name = model_file(language)
        return next((folder.joinpath(name) for folder in data_dirs() if folder.joinpath(name).is_file()), None)

    def save(self, path) -> None:
        """An .npz whose bytes depend on the model alone (numpy's own writer stamps each member with the time)."""
        import io
        import zipfile

        import numpy as np

        arrays = {"vocabulary": np.array(sorted(self.index, key=self.index.get)), "idf": self.idf.astype(np.float16),
                  "weights": self.weights.astype(np.float16), "bias": self.bias, "classes": np.array(self.classes)}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, array, allow_pickle=False)
                archive.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), buffer.getvalue(),
                                 compress_type=zipfile.ZIP_DEFLATED)

    def features(self, tokens: list[str]):
        return features([tokens], self.index, self.idf)[0]

    def probabilities(self, tokens: list[str]) -> dict[str, float]:
        import numpy as np

        scores = self.weights @ self.features(tokens) + self.bias
        scores = np.exp(scores - scores.max())
        return dict(zip(self.classes, (scores / scores.sum()).tolist(), strict=True))


def features(documents: list[list[str]], index: dict[str, int], idf):
    """Rows of log(1 + count) x idf over the vocabulary, each L2-normalised (an empty row stays 0)."""
    import numpy as np

    rows = np.zeros((len(documents), len(index)), dtype=np.float32)
    for row, tokens in zip(rows, documents, strict=True):
        for word, n in Counter(tokens).items():
            if word in index:
                row[index[word]] = math.log1p(n)
    rows *= idf
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def lexicon_scores(lexicon: Lexicon, tokens: list[str]) -> dict[str, float]:
    """Each subject's share of the lexicon's matches."""
    counts = lexicon.counts(tokens)
    total = sum(counts.values())
    return {code: n / total for code, n in counts.items()} if total else {}


class SubjectClassifier:
    """Text -> [(level-1 code, score)], best first: the language's model's probabilities blended with its
    lexicon's shares of matches, the model's share its language's MODEL_WEIGHTS (else MODEL_WEIGHT), or
    `model_weight` in every language when given (a language with no model: the lexicon's shares alone).
    Subjects under `least` are dropped except the best, which every article with any signal gets. `models`
    replaces the shipped models of the languages it names (tests, cross-validation)."""

    def __init__(self, model: TopicModel | None = None, model_weight: float | None = None, least: float = 0.3,
                 models: dict[str, TopicModel | None] | None = None):
        self.models: dict[str, TopicModel | None] = dict(models or {})
        if model is not None or ENGLISH not in self.models:
            self.models[ENGLISH] = model if model is not None else TopicModel.load()
        self.model_weight = model_weight
        self.least = least
        self.with_words = self.languages()
        self.lexicons: dict[str, Lexicon] = {}

    @property
    def model(self) -> TopicModel:
        return self.models[ENGLISH]

    @staticmethod
    def languages() -> frozenset[str]:
        """English, and every language whose profile has [subjects]."""
        return frozenset({*with_section("subjects"), ENGLISH})

    def lexicon(self, language: str) -> Lexicon:
        if language not in self.lexicons:
            self.lexicons[language] = Lexicon.of(language)
        return self.lexicons[language]

    def model_of(self, language: str) -> TopicModel | None:
        """The language's model, loaded once; None when it has none."""
        if language not in self.models:
            path = TopicModel.find(language)
            self.models[language] = TopicModel.load(path) if path else None
        return self.models[language]

    def scores(self, title: str | None, text: str, language: str | None) -> dict[str, float]:
        tokens = words(title, text)
        language = language or ENGLISH
        if language not in self.with_words:
            return {}
        lexical = lexicon_scores(self.lexicon(language), tokens)
        model = self.model_of(language)
        if model is None:
            return lexical
        modelled = model.probabilities(tokens)
        if not lexical:
            return modelled if any(w in model.index for w in tokens) else {}
        share = self.model_weight if self.model_weight is not None else MODEL_WEIGHTS.get(language, MODEL_WEIGHT)
        return {code: share * modelled.get(code, 0.0) + (1 - share) * lexical.get(code, 0.0) for code in modelled}

    def subjects(self, title: str | None, text: str, language: str | None) -> list[tuple[str, float]]:
        ranked = sorted(self.scores(title, text, language).items(), key=lambda pair: (-pair[1], pair[0]))
        return [(code, round(score, 4)) for n, (code, score) in enumerate(ranked) if n == 0 or score >= self.least]
