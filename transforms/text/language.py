"""Language stage: langdetect on the start of the body, seeded so that reruns agree.

langdetect spends its time in two Python loops: one over the characters of the text (n-grams) and
one over its 55 languages at each step of its random walk. `Detector` keeps langdetect's profiles,
random walk and answers, but takes a word's n-grams from a cache and updates the 55 probabilities
in one numpy operation (the same float operations, in the same order).
"""

from __future__ import annotations

import dataclasses
import re

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics
from langdetect import DetectorFactory, detector_factory
from langdetect.detector import Detector as LangDetector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

from schemas.records import Article
from transforms.common import timed, worker_resource
from transforms.languages import with_section

STAGE = "language"
PREFIX_CHARS = 500  # measured on BBC: same answers as 2000 characters, 1.9 instead of 3.3 ms per article
# A start of few words in lower case (a squad list, a table of results: "S Best (Ulster), S Byrne (Leinster), ...")
# is names, whose letters are their own languages': read alone, langdetect called an English article German. A
# start whose words are mostly capitalised is read on until they are not, or to MAX_PREFIX_CHARS.
MAX_PREFIX_CHARS = 5_000
# langdetect's random trials per text (its default is 7): 3 is as accurate on 4,900 article-sized
# texts in 49 languages and 30% faster (evals/language_eval.py).
N_TRIAL = 3
# Below this many characters langdetect guesses: alone, 21% of BBC's 2,225 headlines come out another language
# ("Ad sales boost Time Warner profit"); a text this short takes the language its source declares, if any.
SHORT_TEXT = 80
MAX_CACHED_WORDS = 50_000  # the word cache is emptied past this: ~500 bytes a word with its rows (measured)

_SPACES = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's test, 'A' <= ch <= 'z', which takes in [\]^_` too
_NON_LATIN = re.compile("[\u0300-\u1dff\u1f00-\U0010ffff]")  # from U+0300, but Latin Extended Additional
_CYRILLIC = re.compile("[\u0400-\u052f]")
_WORD = re.compile(r"[^\W\d_]+")


class _NormalChars(dict):
    """str.translate table: each character as langdetect's n-grams see it, computed on first use."""

    def __missing__(self, code: int) -> str:
        self[code] = NGram.normalize(chr(code))
        return self[code]


def _loaded_factory():
    detector_factory.init_factory()
    return detector_factory._factory


class Profiles:
    """langdetect's language profiles, with the n-gram rows of each word cached (one per worker)."""

    def __init__(self):
        # Once per process, and not twice at once: a thread that found langdetect's factory half
        # loaded by another read 21 of its 55 languages.
        self.factory = worker_resource(("langdetect-profiles",), _loaded_factory)
        self.probabilities = self.factory.word_lang_prob_map  # n-gram -> a probability per language
        self.normal = _NormalChars()
        self.rows: dict[str, np.ndarray] = {}
        self.words: dict[tuple[str, bool], tuple[np.ndarray, ...]] = {}

    def ngram_rows(self, text: str) -> list[np.ndarray]:
        """The probability rows of the text's n-grams, in langdetect's order (its _extract_ngrams).

        A space resets langdetect's n-gram buffer, so a word's n-grams do not depend on what came
        before it: only on the word and on whether a space follows it."""
        if len(self.words) > MAX_CACHED_WORDS:
            self.words.clear()
        words = text.translate(self.normal).split(" ")
        rows = []
        for k, word in enumerate(words):
            if word:
                key = (word, k + 1 < len(words))
                if key not in self.words:
                    self.words[key] = tuple(self._row(gram) for gram in self._ngrams(*key))
                rows.extend(self.words[key])
        return rows

    def _ngrams(self, word: str, space_after: bool) -> list[str]:
        """langdetect's n-grams of one word (read after a space): 1- to 3-grams ending at each
        character, none inside a run of capitals ("NATO"), those with a space only at the edge."""
        grams, capitals, found = " ", False, []
        for ch in word + " " * space_after:
            last = grams[-1]
            grams = (grams if len(grams) < 3 else grams[1:]) + ch
            if ch.isupper():
                capitals = capitals or last.isupper()
            else:
                capitals = False
            if not capitals:
                found += [gram for n in (1, 2, 3) if len(grams) >= n and (gram := grams[-n:]) != " "
                          and gram in self.probabilities]
        return found

    def _row(self, gram: str) -> np.ndarray:
        if gram not in self.rows:
            self.rows[gram] = np.array(self.probabilities[gram], dtype=np.float64)
        return self.rows[gram]


class Detector(LangDetector):
    """langdetect's Detector (text clean-up, seeded walk, answers) on cached numpy n-gram rows."""

    def __init__(self, profiles: Profiles, n_trial: int):
        super().__init__(profiles.factory)
        self.profiles = profiles
        self.n_trial = n_trial

    def append(self, text: str):
        """As langdetect's: links and e-mail addresses out, Vietnamese marks folded, spaces collapsed."""
        text = NGram.normalize_vi(self.MAIL_RE.sub(" ", self.URL_RE.sub(" ", text)))
        self.text += _SPACES.sub(" ", text[:self.max_text_length])

    def cleaning_text(self):
        """As langdetect's: a text mostly in another script loses its Latin letters."""
        if len(_LATIN.findall(self.text)) * 2 < len(_NON_LATIN.findall(self.text)):
            self.text = _LATIN.sub("", self.text)

    def _detect_block(self):
        self.cleaning_text()
        rows = self.profiles.ngram_rows(self.text)
        if not rows:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        languages = len(self.langlist)
        langprob = np.zeros(languages)
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            prob = np.full(languages, 1.0 / languages) if self.prior_map is None else np.array(self.prior_map)
            weight = (self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH) / self.BASE_FREQ
            step = 0
            while True:
                prob *= weight + self.random.choice(rows)
                if step % 5 == 0:
                    prob /= np.add.accumulate(prob)[-1]  # a running sum, as langdetect's sum()
                    if prob.max() > self.CONV_THRESHOLD or step >= self.ITERATION_LIMIT:
                        break
                step += 1
            langprob += prob / self.n_trial
        self.langprob = langprob.tolist()


def detection_prefix(text: str) -> str:
    """The start of `text` that langdetect reads: PREFIX_CHARS, read on where most of their words are capitalised
    (names) until most are not, up to MAX_PREFIX_CHARS. A script without case is never read on."""
    capitals = words = 0
    for word in _WORD.finditer(text, 0, MAX_PREFIX_CHARS):
        words += 1
        capitals += word.group()[0].isupper()
        if word.end() >= PREFIX_CHARS and 2 * capitals <= words:
            return text[:PREFIX_CHARS] if word.start() < PREFIX_CHARS else text[:word.end()]
    return text[:MAX_PREFIX_CHARS]


def written_in(text: str, detected: str) -> str:
    """The language a Cyrillic text is written in where langdetect took it for a language that shares its script
    (a profile's [detection]: short Russian texts read as Bulgarian, Macedonian or Ukrainian): the profile's
    language when every Cyrillic letter is in its alphabet and a letter or a word of it is one the language
    langdetect chose does not write; else `detected`."""
    letters = set(_CYRILLIC.findall(text.lower()))
    if not letters:
        return detected
    for language, spec in with_section("detection").items():
        if detected not in spec.get("confused_with", ()) or not letters <= set(spec["alphabet"]):
            continue
        if letters & set(spec.get("letters", "")) or not set(spec.get("words", ())).isdisjoint(
                word.lower() for word in _WORD.findall(text)):
            return language
    return detected


def declared_language(tag: str | None) -> str | None:
    """A declared language tag's language ("en-US" -> "en", "pt_BR" -> "pt"); None unless it is a code."""
    code = (tag or "").strip().replace("_", "-").split("-")[0].lower()
    return code if code.isascii() and code.isalpha() and len(code) in (2, 3) else None


class DetectLanguageFn(beam.DoFn):
    def __init__(self, n_trial: int = N_TRIAL):
        self.n_trial = n_trial
        self.undetected = Metrics.counter(STAGE, "undetected")
        self.by_letters = Metrics.counter(STAGE, "read_by_letters")

    def setup(self):
        DetectorFactory.seed = 0
        self.profiles = Profiles()

    def detect(self, text: str) -> str | None:
        return self.detect_scored(text)[0]

    def detect_scored(self, text: str) -> tuple[str | None, float | None]:
        """The language and langdetect's probability of it (short and mixed texts are less sure)."""
        prefix = detection_prefix(text)
        detector = Detector(self.profiles, self.n_trial)
        detector.append(prefix)
        try:
            language = detector.detect()
        except LangDetectException:  # no letters to go on, e.g. a page of numbers
            language = "unknown"
        if language == "unknown":
            self.undetected.inc()
            return None, None
        written = written_in(prefix, language)
        if written != language:
            self.by_letters.inc()
            return written, None  # not langdetect's guess: the letters' and words' word
        return language, round(max(detector.langprob), 3)

    @timed("language")
    def process(self, article: Article):
        # The headline once: a headline-only feed item's text is its headline, and read twice a
        # one-line Portuguese item ("Promotoria abre inquérito ... de Skaf no Sebrae-SP") was Spanish.
        headline = article.title and not article.text.startswith(article.title)
        text = f"{article.title}\n{article.text}" if headline else article.text
        declared = declared_language(article.declared_language)
        if declared and len(text.strip()) < SHORT_TEXT:
            language, score = declared, None  # not langdetect's guess: the source's word
        else:
            language, score = self.detect_scored(text)
        yield dataclasses.replace(article, language=language, language_score=score)


class LanguageOnceFn(DetectLanguageFn):
    """(findings, Article) -> the same, the article with the language its findings carry: a batch run detects
    each article's language once, on its first read, where the run's names are found (transforms/enrich.py),
    and the second read of the same bytes takes it. An article the first read did not detect (a file that
    changed between the reads) is detected here."""

    def process(self, pair):
        findings, article = pair
        if findings.language is not None and findings.article_id == article.article_id:
            language, score = findings.language
            yield findings, dataclasses.replace(article, language=language, language_score=score)
            return
        for detected in super().process(article):
            yield findings, detected


def language_of(article: Article) -> tuple[str, tuple[str | None, float | None]]:
    """(article id, (language, score)) of a detected article: what its findings carry to its second read."""
    return article.article_id, (article.language, article.language_score)


class DetectLanguage(beam.PTransform):
    def expand(self, articles):
        return articles | "Detect" >> beam.ParDo(DetectLanguageFn())
