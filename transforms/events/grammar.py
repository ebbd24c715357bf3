"""Status stage: sentences that report an event's status become StatusMentions (English grammar).

Only sentences that name an event word are parsed (a cheap rule-based sentencizer finds them),
so the dependency parser's cost follows the number of event sentences, not the article length.
A status trigger counts for an event word when the parse links them closely; negated triggers
("no plans to meet") are dropped, hedged ones ("may be dashed", "whether ... would be postponed")
are kept with `hedged` set and a lower confidence. Lexicon and places: data/status.toml.
"""

from __future__ import annotations

import re

from schemas.records import Article, EventMention, StatusMention, TopicTag, analysed_text
from transforms.events.identity import capital_of, country_of
from transforms.events.lexicon import Lexicon, lexicon
from transforms.events.mentions import Found, event_rows, fill_places
from transforms.events.page import Page
from transforms.events.status_model import CLASSES, features, status_model
from transforms.events.times import event_times

STAGE = "status"
MAX_LINK_DISTANCE = 3  # dependency arcs between a trigger and its event word
# The small model misparses some headlines and quoted verbs; a trigger this close to the only event
# word around still counts ("Preparations for a meeting between ... are now being "fast-tracked"").
MAX_TOKEN_GAP = 20
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# who can meet: persons first, else countries, peoples and organisations ("talks between India and Pakistan")
PARTICIPANT_LABELS = ("PERSON", "GPE", "NORP", "ORG")
NAMES_AND_PRONOUNS = frozenset({"PRP", "NNP", "NNPS", "WP", "WDT", "DT", "CD", "EX"})  # subjects that can meet
SPAN_LABELS = PLACE_LABELS | frozenset(PARTICIPANT_LABELS)  # the article's NER spans the status stage reads
NOUN_ROLES = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})  # what a verb's own word never is in a parse
PHRASE_CLAUSES = frozenset({"acl", "relcl", "advcl", "ccomp", "xcomp"})  # clauses of their own inside a phrase


def _path(token) -> list:
    return [token, *token.ancestors]


def link_distance(a, b) -> int:
    """Number of dependency arcs between two tokens of one sentence."""
    up_a, up_b = _path(a), _path(b)
    positions_b = {t.i: depth for depth, t in enumerate(up_b)}
    for depth, token in enumerate(up_a):
        if token.i in positions_b:
            return depth + positions_b[token.i]
    return 1_000


def _between(a, b) -> list:
    up_a, up_b = _path(a), _path(b)
    ids_b = {t.i for t in up_b}
    common = next((t for t in up_a if t.i in ids_b), None)
    if common is None:
        return [a, b]
    return [t for t in up_a if t.i != common.i] + [common] + [t for t in up_b if t.i not in {common.i}]


class StatusFinder:
    def __init__(self, nlp, lexicon: Lexicon):
        from spacy.matcher import PhraseMatcher

        self.lexicon = lexicon
        self.ranks: dict[str, dict[str, int]] = {}  # event type -> status -> precedence
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for status, phrases in lexicon.statuses.items():
            self.matcher.add(status, list(nlp.tokenizer.pipe(phrases)))
        for event, own in lexicon.own_statuses.items():  # "EVENT:STATUS": a word of that event type's only
            for status, phrases in own.items():
                self.matcher.add(f"{event}:{status}", list(nlp.tokenizer.pipe(phrases)))
        self.model = status_model()  # None without data/status_model.npz: the rules decide alone

    def decide(self, sent, event, kind: str, rule: str | None, hedged: bool, page: Page | None = None) -> str | None:
        """The status of one event mention: the rules', or the trained model's where it is sure of another
        (transforms/events/status_model.py), which reads the page it is on too; a status word's change (postponed,
        cancelled) stays the rules'."""
        if self.model is None or (rule or "none") not in CLASSES:
            return rule
        return self.model.status(features(self, sent, event, kind, rule, hedged, page), rule)

    @staticmethod
    def participant_words(event) -> list:
        """The words that can name who meets (participant_tokens), for the model."""
        return participant_tokens(event)

    def triggers(self, doc) -> list:
        """Status trigger spans labelled with their status; overlapping matches keep the longest."""
        from spacy.tokens import Span
        from spacy.util import filter_spans

        return filter_spans([Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)])

    def negated(self, trigger, event, span=None) -> bool:
        """A negation on the path from a status word to its event; one inside the status phrase is its own ("will not
        go ahead" is a cancellation, not a denial)."""
        own = range(span.start, span.end) if span is not None else range(0)
        for token in {*_between(trigger, event), trigger.head}:
            if any(child.lower_ in self.lexicon.negations and child.dep_ in ("neg", "det", "advmod")
                   and child.i not in own for child in token.children):
                return True
        return False

    def hedged(self, sent, trigger, event) -> bool:
        """A modal, a "whether" or a hedging verb on the trigger, its head or the path to the event."""
        path = {*_between(trigger, event), trigger.head}
        scope = path | {child for token in path for child in token.children
                        if child.dep_ in ("aux", "auxpass", "advmod", "mark", "neg")}
        return any(t.lower_ in self.lexicon.hedges for t in scope) or sent.text.rstrip().endswith("?")

    def attached(self, sent, trigger, event) -> bool:
        if link_distance(trigger, event) <= MAX_LINK_DISTANCE:
            return True
        low, high = sorted((trigger.i, event.i))
        others = [t for t in sent.doc[low + 1:high] if self.kind(t) is not None]
        return high - low <= MAX_TOKEN_GAP and not others

    @staticmethod
    def about_event(span, event) -> bool:
        """A status verb with an object of its own is about that object ("called off its plan until
        they meet"; the phrase's own words, as in "pulled the plug on", are no object); a status noun
        is the event's only through no verb ("postponement of the meeting", not "a meeting to discuss
        delays")."""
        trigger = span.root
        if trigger.tag_.startswith("VB"):
            objects = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")
                       and not span.start <= c.i < span.end
                       and c.lower_ not in ("that", "which", "who")]  # "a meeting that was canceled"
            return not objects or any(event.i in {t.i for t in o.subtree} for o in objects)
        if trigger.tag_.startswith("NN"):
            path = _between(trigger, event)
            return not any(t.tag_.startswith("VB") and t.i not in (trigger.i, event.i) for t in path)
        return True

    def kind(self, token) -> str | None:
        """The event a token names: a noun from [events], or a verb from [event_verbs] that is not
        "meeting a target" (what it meets, or what is met, is in `not_met`)."""
        word, tag = token.lower_, token.tag_
        if tag in ("VBZ", "VBP") and word in self.lexicon.events and any(
                c.dep_ == "prep" and c.lower_ in self.lexicon.verb_prepositions.get(self.lexicon.events[word], ())
                for c in token.children):
            return None  # "the gang talks about archaeology": the verb talk, even where a headline's noun would be
        if tag in ("VBZ", "VBP") and any(c.dep_ == "compound" for c in token.children) and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in token.children) and _headline(token.sent):
            tag = "NNS"  # a headline's noun read as a verb: "Russia WTO talks 'make progress'"
        if tag in ("VBZ", "VBP") and token.dep_ in NOUN_ROLES:
            tag = "NNS"  # a noun read as a verb, which the parse still makes a subject: "that talks ... will begin"
        if word in self.lexicon.settings and tag.startswith("NN") and any(
                c.dep_ in ("amod", "compound") and self.lexicon.event_verbs.get(c.lower_) == self.lexicon.settings[word]
                for c in token.children):
            return self.lexicon.settings[word]  # "the negotiating table": the event's setting names it
        if word in self.lexicon.events and tag.startswith("NN"):
            if token.dep_ == "compound" and token.head.lower_ not in self.lexicon.events:
                return None  # "meeting rooms", "the meeting point", "a visit request": a thing, not the event
            if any(c.dep_ == "poss" and c.lower_ == "your" for c in token.children):
                return None  # "plan your visit", "during your visit": a page's reader
            kind = self.lexicon.events[word]
            blocked = self.lexicon.not_objects.get(kind, self.lexicon.not_met)
            if any(t.lower_ in blocked for c in token.children if c.dep_ == "prep" and c.lower_ == "to"
                   for t in c.subtree):
                return None  # "visits to our website": what a verb of it cannot take, the noun cannot go to
            return kind
        if word not in self.lexicon.event_verbs or not tag.startswith("VB") or token.dep_ in ("amod", "compound"):
            return None  # "visiting fans"
        if token.text[:1].isupper() and token.i != token.sent.start and not _title_case(token.sent):
            return None  # a title in running text: "on Meet the Press", "Foghorn Leghorn Meets an Owl"
        if word in self.lexicon.subject_verbs and not self.can_meet(token):
            return None  # "tourists visit annually", "the armies met", "you can visit the site"
        # "meeting or exceeding all targets"; not "met, and Dickinson presented results", a clause of its own
        verbs = [token, *(c for c in token.children if c.dep_ == "conj" and not any(
            g.dep_ == "nsubj" for g in c.children))]
        verbs += [token.head] if token.dep_ == "conj" and not any(  # "walked the landscape, met with firefighters"
            c.dep_ in ("dobj", "prep") for c in token.children) else []
        met = [t for v in verbs for c in v.children if c.dep_ in ("dobj", "nsubjpass") for t in c.subtree]
        met += [g for c in token.children if c.dep_ == "prep" and c.lower_ == "with"
                for g in c.children if g.dep_ == "pobj"]  # "met with disapproval"
        blocked = self.lexicon.not_objects.get(self.lexicon.event_verbs[word], self.lexicon.not_met)
        if any(m.lower_ in blocked for m in met) or any(c.dep_ == "auxpass" for c in token.children) \
                and word in self.lexicon.participant_verbs:  # "was met by boos"; "was visited by Alexander" is one
            return None
        if word in self.lexicon.participant_verbs:  # "meet the standards", "met the cost": no one is met
            heads = [c for v in verbs for c in v.children if c.dep_ == "dobj" and not any(
                p.dep_ == "prep" and v.i < p.i < c.i for p in v.children)]  # "meet over EU bid": a misparse
            heads += [g for c in token.children if c.dep_ == "prep" and c.lower_ == "with"
                      for g in c.children if g.dep_ == "pobj"]
            if any(not self.participant(head) for head in heads):
                return None
        return self.lexicon.event_verbs[word]

    def can_meet(self, verb) -> bool:
        """Whether who meets or visits can: a subject that is a name, a pronoun other than a reader's "you", or a
        person or body (`participant`); a relative clause's "who" or "that" stands for the noun it describes.
        A relative clause whose object is the noun it describes ("a Belgian he met in 1919", "the people I've
        ever met") tells who someone knows, not of a meeting."""
        clause = verb
        while clause.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
            clause = clause.head
        subjects = [c for c in clause.children if c.dep_ == "nsubj"]
        if clause.dep_ == "acl" and clause.tag_ == "VBG" and not subjects:
            subjects = [clause.head]  # "celebrities visiting the gifting suite"
        if clause.dep_ == "ROOT" and clause.tag_ == "VB" and not subjects and not any(
                c.dep_ in ("aux", "auxpass") for c in clause.children):
            return False  # an imperative, a page's or a guide's: "Meet the team", "Visit our forum"
        if any(d.lower_ == "your" for c in verb.children if c.dep_ == "dobj" for d in c.children):
            return False  # "meet your friends", "visit your doctor": the reader's own life
        if verb.lower_ in self.lexicon.participant_verbs and clause.dep_ == "relcl" and subjects and not any(
                c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ == "with" for c in verb.children) \
                and all(s.lower_ not in ("who", "that", "which") for s in subjects):
            return False
        if any(s.lower_ in self.lexicon.narrators for s in subjects) and self.narrated(verb):
            return False  # "I visited Hunter in February": a blog's or a letter's writer, not someone quoted
        for subject in subjects:
            if subject.lower_ in ("who", "that", "which") and clause.dep_ == "relcl":
                subject = clause.head
            if subject.lower_ in ("you", "your"):
                return False
            if subject.tag_ not in NAMES_AND_PRONOUNS and not self.participant(subject):  # "an aardvark" as JJ too
                return False
        return True

    def narrated(self, verb) -> bool:
        """Whether a narrator's ("I", "we") verb may be the writer's own life: a meeting or a visit, in a sentence that
        quotes no one, meets with no one on a day told, and names no office that meets (a minister, leaders)."""
        office = next((sense for sense in self.lexicon.senses if sense.name == self.lexicon.in_office), None)
        return self.lexicon.event_verbs.get(verb.lower_) in self.lexicon.narrated_events and not any(
            mark in verb.sent.text for mark in self.lexicon.quote_marks) and not _meets_with(verb, self.lexicon) \
            and (office is None or office.keep_words.search(verb.sent.text) is None)

    def participant(self, head) -> bool:
        """Whether the head of what is met can meet: a name, a pronoun, a person or a body of people
        (events.toml, [not_met] participants), or words the article's NER calls a person, place or body."""
        if head.tag_ in ("PRP", "NNP", "NNPS") or head.lower_ in self.lexicon.participants \
                or head.text[:1].isupper() and head.i != head.sent.start:  # a name the tagger calls NN
            return True
        if any(c.dep_ == "prep" and c.lower_ == "of" and any(self.participant(g) for g in c.children
                                                              if g.dep_ == "pobj") for c in head.children):
            return True  # "a large number of local authorities"
        subtree = {t.i for t in head.subtree}
        return any(e.label_ in ("PERSON", "ORG", "NORP", "GPE") and e.root.i in subtree for e in head.doc.ents) \
            or any(t.tag_ in ("NNP", "NNPS") and t.dep_ in ("appos", "compound") for t in head.children)

    def rank(self, event: str) -> dict[str, int]:
        if event not in self.ranks:
            self.ranks[event] = {status: n for n, status in enumerate(self.lexicon.order(event))}
        return self.ranks[event]

    def event_kind(self, sent, event, kind: str, leaders: frozenset[str]) -> str:
        """The type an event becomes when held between leaders (events.toml, `from`): two participants
        with a leader's title (in the sentence, or anywhere in the article), or a group word ("the
        Russian and American presidents"). The participants are the event's own words ("a meeting
        between ...", "Trump held talks with ..."), not every name in the sentence."""
        for promotion in self.lexicon.promotions:
            if kind not in promotion.sources:
                continue
            scope = {t.i for t in participant_tokens(event)}
            text = " ".join(t.text for t in sent if t.i in scope)
            named = {m.group(1).lower() for m in promotion.title_pattern.finditer(text)}
            named |= {t.lower_ for t in sent if t.i in scope and t.lower_ in leaders and t.tag_ == "NNP"}
            lowered = text.lower()
            if len(named) >= 2 or any(re.search(rf"\b{re.escape(g)}\b", lowered) for g in promotion.groups):
                return promotion.event
        for promotion in self.lexicon.promotions:
            if kind == promotion.event and promotion.otherwise and not self.of_leaders(sent, event, promotion,
                                                                                       leaders):
                return promotion.otherwise
        return kind

    @staticmethod
    def of_leaders(sent, event, promotion, leaders: frozenset[str]) -> bool:
        """Whether a summit is one of leaders (events.toml, `otherwise`): its article names a leader by
        title, or its sentence names a leader, a leaders' group or a body of states, or its own words name a
        country or a people ("the Anglo-Irish summit", "a summit in Nepal" is not enough: industry meets there
        too)."""
        text = sent.text
        if leaders or promotion.title_pattern.search(text) or promotion.body_pattern.search(text):
            return True
        lowered = text.lower()
        if any(re.search(rf"\b{re.escape(g)}\b", lowered) for g in promotion.groups):
            return True
        scope = {t.i for t in participant_tokens(event)} | {t.i for c in event.children
                                                            if c.dep_ in ("compound", "amod", "nmod", "poss")
                                                            for t in c.subtree}
        return any(e.label_ in ("GPE", "NORP") and e.root.i in scope for e in sent.ents)

    def leaders(self, event, leaders: frozenset[str]) -> tuple[str, ...]:
        """The leaders an event names among its participants, by surname: after a title, or known from
        a title elsewhere in the article."""
        tokens = sorted({t.i: t for t in participant_tokens(event)}.items())
        text = " ".join(t.text for _, t in tokens)
        named = {m.group(1).lower() for m in self.lexicon.title_pattern.finditer(text)}
        named |= {t.lower_ for _, t in tokens if t.tag_ == "NNP" and t.lower_ in leaders}
        return tuple(sorted(named))

    @staticmethod
    def participants(event, leaders: tuple[str, ...]) -> tuple[str, ...]:
        """Who meets, from the article's NER spans in the event's own words: its persons (by surname,
        as its leaders are), else its countries, peoples and organisations."""
        scope = {t.i for t in participant_tokens(event)}
        ents = [e for e in event.sent.ents if e.root.i in scope and e.label_ in PARTICIPANT_LABELS
                and not (e.label_ == "GPE" and e.root.head.i == event.i and not _hyphenated(e))]  # "Budapest meeting"
        persons = {e[-1].lower_ for e in ents if e.label_ == "PERSON"} | set(leaders)
        if persons:
            return tuple(sorted(persons))
        return tuple(sorted({" ".join(e.text.split()) for e in ents}))

    def tense(self, event):
        """(status, hedged) the parse gives an event without a status word, or (None, False).

        The event's own words first ("next week's meeting", "the failed talks", "ahead of the meeting",
        "after talks"), then the verb that governs it: a future or a plan ("will hold talks", "is due
        to meet") is planned, a past or a present with no time ahead ("met", "is in talks", "Brown
        visits slum") is held; a wish, a condition, a habit or a negation is no report: ("none", False), which no
        status word beside the event overrides (None: the parse says no time)."""
        words = self.lexicon.tense
        if any(c.dep_ == "det" and c.lower_ in self.lexicon.negations for c in event.children):
            return "none", False
        if any(c.dep_ in ("det", "amod") and c.lower_ in words.habits for c in event.children):
            return "none", False  # "before each meeting", "to hold regular meetings": a habit
        if self.tallied(event):
            return "none", False  # "received over 50,000 visits": traffic, not an event
        if self._ongoing_state(event):
            return "held", False  # "talks are under way"
        if event.dep_ == "pobj" and event.head.lower_ == "for" and event.head.head.lower_ in words.prospects:
            return "planned", True  # "a starting point for more talks", "pave the way for talks"
        modifiers = {c.lower_ for c in event.children if c.dep_ in ("amod", "compound", "nmod", "det")}
        # "talks next week", "next Thursday's meeting", "yesterday's talks"
        modifiers |= {t.lower_ for c in event.children if c.dep_ in ("npadvmod", "poss") for t in c.subtree}
        if event.dep_ == "pobj" and event.head.lower_ == "of" and event.head.head.lower_ in words.measures:
            modifiers |= {c.lower_ for c in event.head.head.children if c.dep_ == "amod"}  # "the next round of talks"
        relation, verb = self.governor(event)
        if verb is None:  # a headline ("India and Russia in energy talks"), or a parse with no verb
            tags = {t.tag_ for t in event.sent} | {t.lower_ for t in event.sent if t.tag_ == "MD"}
            if relation not in words.clause_relations:
                return None, False
            return ("planned" if tags & words.future_auxiliaries else "held" if "VBD" in tags or relation == "in"
                    else None), False
        status, hedged, firm = self._verb_tense(verb, event)
        if status == "none" and event.tag_.startswith("VB") and event.dep_ not in NOUN_ROLES:
            return "none", False  # "if they meet next week", "did not meet him last week", "refused to meet Putin next
            # week": the verb's own time words do not undo a condition, a negation or a wish said of it
        planned_by_clause = any(  # "a meeting expected to take place", "a meeting to be held next week"
            c.dep_ in ("acl", "relcl") and (c.lower_ in words.plan_heads - {"is", "are", "was", "were", "be"}
                                 or "to" in {a.lower_ for a in c.children} and (
                                     c.lower_ == "held" or c.lower_ == "take" and any(
                                         d.lower_ == "place" for d in c.children)))  # not "talks to take a stake"
            for c in event.children)
        if modifiers & words.future_modifiers or relation in words.before_words or planned_by_clause:
            return "planned", hedged
        if modifiers & (words.past_modifiers | words.ongoing):
            return "held", hedged  # "the failed talks"; under way: "the current negotiations", "ongoing talks"
        if relation == "for" and verb.lower_ in words.purpose_verbs and status != "none":
            # "flies to Jakarta for a summit", "will travel for talks": what the journey is for, still to come
            # unless the journey is told in the past ("arrived for the meeting"); a journey's participle is told in
            # its clause's tense ("Arriving for the Eurogroup meeting, Mr Varoufakis said": he was there)
            participle = verb.tag_ == "VBG" and verb.dep_ in ("advcl", "acl") and not any(
                c.dep_ in ("aux", "auxpass") for c in verb.children)
            journey = verb.head if participle else verb
            past = journey.tag_ == "VBD" or journey.tag_ == "VBN" and any(
                c.lower_ in ("has", "have", "had") for c in journey.children)
            return ("held" if past and (status == "held" or participle) else "planned"), hedged
        if status is None and relation in words.act_frames and verb.tag_ in ("VBZ", "VBP", "VBG") and not any(
                c.dep_ == "aux" for c in verb.children) and _headline(event.sent):
            # a headline's act in the present at or in the event says it is under way ("Libya envoy pushes for
            # ceasefire at Geneva talks", "running down the clock in Brexit talks"), unless a time ahead is told
            # ("Brown speaks at the summit next week"); a body's present is as often a habit ("during meetings
            # the club discusses plants")
            ahead = _own_words(verb, words.before_words | words.after_words) & (
                words.future_words | words.simple_present_future)
            return ("planned" if ahead else "held"), hedged
        if status is None and relation in words.frame_relations and any(
                c.dep_ == "aux" and c.lower_ in words.modals for c in verb.children) and not (
                event.dep_ == "pobj" and not event.head.head.tag_.startswith("VB")):
            # "ministers would discuss it at a meeting on Tuesday", not "no-one present at the meeting would forget"
            return "planned", True
        if relation is not None and relation not in words.clause_relations | words.verb_relations:
            return None, False  # "the minutes of the meeting show", "details about the visit": only named
        if relation in words.after_words and _still_ahead(event, words.still_ahead):
            return "planned", hedged  # "expected to rise following the Fed's meeting later on Tuesday"
        if relation in words.after_words or relation == "dobj" and verb.lower_ in words.after_words:
            return ("planned" if firm and status == "planned" else "held"), hedged
        return status, hedged

    def tallied(self, event) -> bool:
        """Whether thousands count a meeting or a visit, who meets or visits, or what is visited ([tense] tallies:
        "over 50,000 visits", "200,000 shoppers expected to have visited", "visiting about 26,000 stalls")."""
        words = self.lexicon.tense
        if self.kind(event) not in words.tallied_events:
            return False
        counted = [event]
        token = event if event.tag_.startswith("VB") else event.head if event.dep_ in ("dobj", "nsubj") else None
        for _ in range(3):  # up a participle or an infinitive to the noun it describes ("shoppers expected to")
            if token is None:
                break
            counted += [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
            if token.dep_ not in ("xcomp", "acl", "relcl") or token.head.i == token.i:
                break
            token = token.head
            if token.tag_.startswith("NN"):
                counted.append(token)
                break
        return any(_thousands(t, words.tallies) for t in counted)

    def _ongoing_state(self, event) -> bool:
        """Whether a state phrase of [tense] ongoing_states hangs from the event ("talks under way") or from the copula
        it is the subject of ("talks are in progress"), with no negation or modal on that copula."""
        words = self.lexicon.tense
        holders = [event]
        if event.dep_ in ("nsubj", "nsubjpass") and event.head.lower_ in words.copulas and not any(
                c.dep_ == "neg" or c.dep_ == "aux" and c.lower_ in words.modals for c in event.head.children):
            holders.append(event.head)
        return any(f"{p.lower_} {o.lower_}" in words.ongoing_states for h in holders for p in h.children
                   if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj")

    def governor(self, event) -> tuple[str | None, object]:
        """(how the event hangs from its clause: a preposition, "dobj", "nsubj" ..., the clause's verb).

        "ahead of the meeting" hangs from "ahead"; a participle ("visiting Beijing, Mr Straw noted",
        "announcements made after a meeting") takes the clause's verb."""
        words = self.lexicon.tense
        token, relation = event, None
        # a noun read as a verb that the parse still makes a subject hangs from its clause, as kind() reads it ("that
        # talks with business groups will begin shortly")
        noun = event.tag_ in ("VBZ", "VBP") and event.dep_ in NOUN_ROLES
        if event.tag_.startswith("VB") and not noun:
            if event.dep_ == "pcomp":
                relation = event.head.lower_
            if event.dep_ in ("acl", "advcl", "pcomp") and event.tag_ in ("VBG", "VBN") and not any(
                    c.dep_ in ("aux", "auxpass") for c in event.children):
                token = event.head
            else:
                return relation, event
        while noun and token.i == event.i or not token.tag_.startswith("VB") \
                or token.dep_ == "acl" and token.tag_ == "VBN":
            if token.head.i == token.i:
                return relation, None
            if relation is None and token.dep_ == "pobj" and (
                    token.head.lower_ == "of" or token.head.lower_ == "in" and token.head.head.tag_.startswith("NN")) \
                    and token.head.head.lower_ in words.measures \
                    and token.head.head.lower_ not in words.before_words | words.after_words:
                # "a breakdown in negotiations"; "on the eve of a visit" is read as "before" below
                token = token.head.head  # "two days of talks begin", "at the start of a visit"
                continue
            if relation is None and token.dep_ in ("pobj", "pcomp"):
                preposition = token.head
                around = words.before_words | words.after_words
                if preposition.lower_ in ("of", "to", "for") and preposition.head.lower_ in around | {"out"}:
                    preposition = preposition.head  # "ahead of the meeting", "walked out of the meeting"
                relation = preposition.lower_
                if relation in words.verb_relations and not (
                        preposition.head.tag_.startswith("VB")
                        and (relation != "on" or self.kind(event) in words.on_events)):
                    relation = "of"  # only named: "objections to the talks", "briefed on the talks"
            elif relation is None and token is event:
                relation = token.dep_ if token.dep_ != "conj" else token.head.dep_
            token = token.head
        if token.tag_ == "VBG" and token.lower_ in words.after_words | words.before_words \
                and relation in (None, "dobj"):
            return token.lower_, token  # "following the collapse of talks": as "after"
        if event.tag_.startswith("NN") and relation == "dobj" and token.tag_ in ("VBG", "VBN") \
                and token.dep_ in ("acl", "advcl") and not any(c.dep_ in ("aux", "auxpass") for c in token.children):
            clause = token.head  # "a member attending the talks said", "leaving the summit, he said": the clause's
            while not clause.tag_.startswith("VB") and clause.head.i != clause.i:
                clause = clause.head
            if clause.tag_.startswith("VB"):
                return relation, clause
        return relation, token

    def _verb_tense(self, verb, event) -> tuple[str | None, bool, bool]:
        """(status or "none" for no report, hedged, firm: said by an auxiliary or a plan word)."""
        words = self.lexicon.tense
        hedged = False
        for _ in range(5):  # an infinitive takes its tense from the verb above it
            children = list(verb.children)
            auxiliaries = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
            arguments = {c.i for c in children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "xcomp")}
            direct = verb.i == event.i or event.i in arguments or event.head.i in arguments or (
                verb.lower_ in words.purpose_verbs and event.dep_ == "pobj" and event.head.head.i == verb.i)
            if any(c.dep_ == "neg" and (direct or c.lower_ == "never")
                   or c.lower_ in self.lexicon.negations and c.dep_ == "advmod" and (direct or c.lower_ == "never")
                   for c in children):
                return "none", False, True
            if {c.lower_ for c in children if c.dep_ in ("mark", "advmod")} & (words.conditions | words.habits) \
                    or {t for c in children if c.dep_ == "npadvmod" or c.dep_ == "prep" and c.lower_ in (
                        "on", "at") for t in _phrase_words(c)} & words.habits:
                # "if talks fail", "who visit Cuba every year", "meet on a regular basis", "at the end of each day";
                # not a clause inside the phrase ("on the same mission - often seen as ...": the clause's habit)
                return "none", False, True
            timed = {c.lower_ for c in children if c.dep_ in ("mark", "advmod")} & words.time_clauses
            if verb.dep_ == "advcl" and timed and verb.tag_ == "VBD" and verb.head.dep_ == "ROOT" and {
                    c.lower_ for c in verb.head.children if c.dep_ == "aux"} & words.past_habits:
                return "none", False, True  # "When Schmidt held big meetings, Page would show up": what used to happen
            if verb.dep_ == "advcl" and timed and (verb.tag_ in ("VBP", "VBZ") or verb.tag_ == "VB" and not auxiliaries
                         or verb.tag_ == "VBN" and auxiliaries & {"has", "have"}):
                above = {c.lower_ for c in verb.head.children if c.dep_ == "aux"}
                if above & words.future_auxiliaries:  # "will sign it when they meet", "after he has visited"
                    return "planned", hedged, True
                if above & words.modals:  # "might ask Yeltsin when they meet in Cologne"
                    return "planned", True, True
            # a present subjunctive under a wish, active or passive ("suggested that Page meet", "demanded that the
            # summit be held"), has no tense of its own: what it says is wished (a passive's frame is left to the words
            # that date it: "demanded that the treaty be signed at the summit next week")
            subjunctive = verb.dep_ == "ccomp" and verb.head.lower_ in words.wishes and (
                verb.tag_ in ("VB", "VBP") and not auxiliaries or verb.tag_ == "VBN" and auxiliaries == {"be"})
            if subjunctive and _set_off_frame(event, verb, words.frame_relations, words.still_ahead | (
                    words.future_modifiers)):
                verb = verb.head  # "had demanded that the region be included, both during his summit with Trump,":
                continue  # a frame set off by a comma tells when the wish was made, and takes the wish's tense
            if subjunctive and (verb.tag_ != "VBN" or direct):
                return "none", False, True  # "he suggested that Page meet with them", "urged that talks resume"
            set_beside = verb.tag_ == "VBG" and verb.dep_ in ("advcl", "acl") and not auxiliaries and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in children) and {
                c.lower_ for c in children if c.dep_ == "mark"} <= words.simultaneous
            if set_beside and verb.head.tag_.startswith("VB") and verb.head.lower_ not in words.plan_heads:
                verb = verb.head  # a participle set beside its clause is told in that clause's tense ("Speaking at a
                continue  # meeting in Delhi, Mr Advani said", "Arriving at the meeting last night, he said")
            convened = verb.lower_ in words.convening and event.dep_ == "dobj" and event.head.i == verb.i
            if convened and {t.lower_ for t in verb.subtree} & (words.future_modifiers | {"tomorrow", "later"}):
                return "planned", hedged, True  # "called a meeting for next week"
            # what a wish verb asks for is not said to happen; the event that asks ("the Tokyo summit called for
            # increased effort", "the meeting urged ministers to act") is its subject and took place as its tense says
            asks = any(c.dep_ == "nsubj" and c.i == event.i for c in children)
            if verb.lower_ in words.wishes and direct and not asks and not auxiliaries & words.future_auxiliaries \
                    and not convened and not any(c.dep_ == "oprd" for c in children):  # "called it a failure"
                return "none", False, True
            plans = words.plan_heads - {"is", "are", "was", "were", "be"}
            if any(c.dep_ in ("acomp", "xcomp") and c.lower_ in plans for c in children) or (
                    verb.lower_ in plans and any(c.dep_ == "xcomp" for c in children)):
                framed = event.dep_ == "pobj" and event.head.head.i == verb.i and event.head.lower_ in words.act_frames
                if framed and (verb.tag_ == "VBD" or verb.tag_ == "VBN" and auxiliaries & {"has", "have", "had"}):
                    return "held", hedged, True  # "At the summit, EU leaders agreed to cut emissions": the plan was
                    # made at the event, which took place ("are expected to agree at the meeting" stays planned)
                return "planned", hedged, True  # "the meeting is due to take place", "was scheduled to take place"
            if verb.lower_ in words.copulas and event.i in arguments and any(
                    c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                    for c in children):
                return "planned", hedged, True  # "negotiations are to resume": the event is to happen
            if any(t.dep_ == "acomp" and t.lower_ in words.ongoing for t in verb.subtree if t.head.head.i in (
                    verb.i, verb.head.i) or t.head.i == verb.i):
                return "held", hedged, True  # "negotiations are believed to be underway"
            if verb.lower_ in words.continuing and direct or verb.lower_ in words.endings and direct and self.kind(
                    event) in words.attempt_events and "to" not in auxiliaries:
                return "held", hedged, True  # "talks will continue", "talks will conclude soon": under way, whatever
                # the tense (an infinitive's end is its head's: "urged the WTO to conclude negotiations" is a wish)
            if auxiliaries & words.future_auxiliaries:
                return "planned", hedged, True
            if auxiliaries & words.modals:
                if not (verb.i == event.i or verb.lower_ in words.holding_verbs):
                    return None, True, False  # "the meeting would be remembered as ...": no plan said
                return ("held" if "have" in auxiliaries else "planned"), True, True
            if {"to", "have"} <= auxiliaries and verb.tag_ == "VBN" and direct and verb.head.lower_ not in words.wishes:
                return "held", hedged, True  # "is said to have visited the tomb": a perfect infinitive is past
            if _headline_infinitive(verb) and (direct or event.dep_ == "pobj" and event.head.head.i == verb.i):
                return "planned", hedged, True  # a headline's infinitive is its future: "Blair to hold talks with Bush"
            if "to" in auxiliaries or verb.tag_ == "VB" and verb.dep_ in ("xcomp", "acl", "advcl", "ccomp"):
                head = verb.head
                # "no plans for Trump to meet Putin", "were not prepared to negotiate" (the copula's "not")
                if any(c.dep_ in ("neg", "det") and c.lower_ in self.lexicon.negations for c in head.children) or \
                        head.dep_ == "acomp" and any(c.dep_ == "neg" for c in head.head.children):
                    return "none", False, True
                if {c.lower_ for c in head.children if c.dep_ in ("mark", "advmod")} & words.conditions:
                    return "none", False, True  # "if they were planning to visit", "unless they agree to meet": a
                    # condition, as on the event's own verb, whatever the plan
                if head.lower_ in words.aspects or head.lower_ in words.attempts and self.kind(event) in \
                        words.attempt_events:
                    verb = head  # "began to negotiate", "are continuing to negotiate": the tense of the head
                    continue
                if verb.dep_ == "advcl" and head.lower_ in words.copulas and any(
                        c.dep_ == "prep" for c in head.children):
                    verb = head  # "was in Washington this week to meet with banks": being there for it, as a journey
                    continue
                if head.lower_ in words.plan_heads or head.lower_ in self.lexicon.statuses.get("planned", ()):
                    return "planned", hedged or head.lower_ in self.lexicon.hedges, True
                if head.lower_ in words.wishes and direct:
                    return "none", False, True  # "wanted to meet", "seeking to attend the meeting", not
                    # "will seek to reassure MPs at the meeting"
                if verb.i == event.i and verb.dep_ in ("advcl", "xcomp") and head.lower_ in words.purpose_verbs:
                    verb = head  # "flew to Salt Lake City to meet him", "prepared to head to Brussels to meet": the
                    continue  # journey's tense, as a journey "for" the event
                if verb.i == event.i:
                    return "none", False, True  # "willing to meet", "more to do than meet": not said to happen
                while head.head.i != head.i and not head.tag_.startswith("VB"):
                    head = head.head  # "announced his decision to quit UKIP at a public meeting"
                if head.i == verb.i or not head.tag_.startswith("VB"):
                    return None, hedged, False
                verb = head
                continue
            if auxiliaries & {"did"}:
                return "held", hedged, True
            perfect = auxiliaries & {"has", "have", "had", "was", "were", "been"}
            # the small tagger's VBN with a subject and no auxiliary ("the minister stated in a meeting") is a past
            if verb.tag_ == "VBD" or verb.tag_ == "VBN" and (perfect or not auxiliaries and any(
                    c.dep_ == "nsubj" for c in children)):
                return "held", hedged, True
            tag = verb.tag_
            if tag == "VB" and not auxiliaries and any(c.dep_ == "nsubj" for c in children):
                tag = "VBP"  # the small tagger's "parliament meet today": a present with its subject
            if tag in ("VBZ", "VBP", "VBG", "VBN"):
                if auxiliaries & {"was", "were"}:
                    return "held", hedged, True
                progressive = verb.tag_ == "VBG" and auxiliaries & {"is", "are", "am", "'s", "'re", "been"}
                if verb.lower_ in words.purposes and auxiliaries & words.copulas and event.i in arguments:
                    return "held", hedged, True  # "the talks are aimed at striking a deal": under way
                particular = any(c.dep_ in ("det", "poss") for c in event.children)
                if verb.lower_ in words.copulas and not auxiliaries and event.head.i == verb.i and not particular \
                        and event.dep_ in ("nsubj", "attr") \
                        and any(c.dep_ in ("nsubj", "attr") and c.i != event.i for c in children):
                    return "none", False, True  # "they are multi-day summits", "X Summit are the global event": what
                    # such events are, no one of them (not "this is his first visit", "our talks are an example")
                if not (progressive or verb.i == event.i or verb.lower_ in words.holding_verbs):
                    return None, hedged, False  # "the G7 meeting is thought unlikely to ...": no time said
                ahead = _own_words(verb, words.before_words | words.after_words) & (
                    words.future_words | (frozenset() if progressive else words.simple_present_future))
                if verb.i == event.i and verb.dep_ == "relcl" and not progressive and not ahead:
                    return "none", False, True  # "clubs that meet at the school": what they do, no event
                if verb.i == event.i and tag in ("VBZ", "VBP") and not progressive and not ahead \
                        and any(c.dep_ == "nsubj" for c in children) and not _headline(event.sent) \
                        and not {c.lower_ for c in children if c.dep_ in ("mark", "advmod")} & words.simultaneous:
                    # the event's own verb in the present simple, in a text's body, with no time ahead: what someone
                    # does, a plot ("They negotiate to sell the fish", "in a cell he meets a girl"), not news, which
                    # tells the past or dates the present ("the committee meets today"; a headline's present is news,
                    # and "as he visits Leeds" is under way)
                    return "none", False, True
                return ("planned" if ahead else "held"), hedged, False
            return None, hedged, False
        return None, hedged, False

    def place(self, sent, event, trigger=None, kind: str | None = None) -> str | None:
        """Where an event is: a place its word holds ("Budapest meeting", "visited Hungary"), else one after a
        preposition of place of its type on its word or its verb (events.toml [where]: "a meeting in Budapest", "a
        visit to France"), else a place of the gazetteer that names it ("the Tokyo Economic Summit": the NER reads
        the whole name as the event's)."""
        text = sent.text.lower()
        for written, place in self.lexicon.places.items():
            if re.search(rf"\b{re.escape(written)}\b", text):
                return place
        # a body of states ("the G7 meeting taking place in London") says who meets, not where
        bodies = {body for promotion in self.lexicon.promotions for body in promotion.bodies}
        places = [ent for ent in sent.ents if ent.label_ in PLACE_LABELS
                  and ent.text.lower().removeprefix("the ") not in bodies] + capitals(sent)
        # "Budapest meeting", but not "US-Russia meeting", which names who meets, not where
        attached = [ent for ent in places if ent.root.head.i == event.i and not _hyphenated(ent)]
        # "meeting in Budapest", "meet Putin in Hungary", "scheduled to take place ... in Budapest"
        path = _between(trigger, event) if trigger is not None else [event, event.head]
        anchors = {t.i for t in path} | {c.i for t in path for c in t.children} | {t.i for t in event.subtree}
        prepositions = self.lexicon.place_prepositions.get(kind, frozenset({"in"}))
        located = [ent for ent in places if ent.root.dep_ == "pobj" and ent.root.head.lower_ in prepositions
                   and ent.root.head.head.i in anchors]
        chosen = (attached or located or [None])[0]
        if chosen is None:
            return named_place(event)
        if chosen is not None and chosen[-1].lower_ == "capital" and chosen.label_ == "GPE" and len(chosen) > 1:
            return capital_of(chosen[:-1].text) or chosen.text  # "the Hungarian capital": Budapest
        return chosen.text if chosen is not None else None

    def find(self, sent, triggers: list, leaders: frozenset[str] = frozenset(), senses: frozenset[str] = frozenset(),
             page: Page | None = None):
        """(event, status or None, place, hedged, leaders, participants, times: times.event_times) for each event
        of the sentence: its status from a status word attached to it, else from the tense that governs it;
        without a status when it only names the event ("the summit's agenda": coverage of it, and a place for
        the others). `senses`: the senses of [senses] its whole article has (sport); `page`: what kind of page it
        is (transforms/events/page.py), for the model."""
        events = [(t, k) for t in sent if (k := self.kind(t)) is not None]
        triggers = [span for span in triggers if sent.start <= span.start < sent.end]
        asked = asks(sent)
        found = {}
        for event, noun_kind in events:
            kind = self.event_kind(sent, event, noun_kind, leaders)
            if any(sense.applies(kind, sent.text, sense.name in senses) for sense in self.lexicon.senses):
                continue  # "the sides meet at Highbury", "a summit clash": no event
            rank = self.rank(kind)
            statuses = []
            relation, _ = self.governor(event)
            for span in triggers:
                owner, _, status = span.label_.rpartition(":")
                trigger = span.root
                if status not in rank or owner and owner != kind:
                    continue  # another event type's own status or status word
                if trigger.i == event.i or span.start <= event.i < span.end and status in ("held", "planned"):
                    continue  # "met" and "to meet" are the event; their tense gives the status
                if relation in self.lexicon.tense.after_words | self.lexicon.tense.before_words:
                    continue  # "after talks ... the hospital called off its plan": the clause's, not the talks'
                if self.about_event(span, event) and self.attached(sent, trigger, event) \
                        and not self.negated(trigger, event, span):
                    statuses.append((status, trigger))
            changes = [st for st in statuses if st[0] not in ("held", "planned")]
            if changes:
                status, trigger = min(changes, key=lambda st: rank[st[0]])
                hedged = self.hedged(sent, trigger, event)
            else:
                status, hedged = self.tense(event)
                denied = status == "none"  # a habit, a wish, a condition, a negation: no status word near it says more
                status = None if denied else status
                trigger = event
                arranged = [st for st in statuses if st[0] == "planned" and event.head.i == st[1].i
                            and event.dep_ in ("nsubjpass", "dobj")]
                if arranged:  # "a meeting has been arranged", "who arranged a meeting": whatever the tense
                    status, trigger = arranged[0]
                    hedged = self.hedged(sent, trigger, event)
                # "preparations for the meeting"; not "regular meetings are held", "if the talks are concluded",
                # unless the status word is a clause of the event's own ("a weekly meeting that was held at the base")
                close = [st for st in statuses if link_distance(st[1], event) <= 2 and (
                    not denied or st[1].head.i == event.i and st[1].dep_ in ("relcl", "acl"))]
                if status is None and close:
                    status, trigger = min(close, key=lambda st: rank[st[0]])
                    hedged = self.hedged(sent, trigger, event)
                    if status == "held" and any(a.dep_ in ("aux", "auxpass") and a.lower_ in {"to"} | (
                            self.lexicon.tense.future_auxiliaries) for a in trigger.children):
                        status = "planned"  # "a meeting ... to be held", "will be held": a past word, not a past
            if asked:  # "have countries entered into negotiations?" reports nothing
                status = None
            status = self.decide(sent, event, kind, status, hedged, page)
            refers, about = self.refers(event), self.subject(event, kind)
            topic = "" if about else self.topic(event, kind)
            if status is None:
                named = self.leaders(event, leaders)
                found.setdefault((kind, None), (self.place(sent, event, kind=kind), False, named,
                                                self.participants(event, named), event_times(event), refers, about,
                                                topic))
                continue
            key = (kind, status)
            if key not in found or found[key][1] and not hedged:
                found[key] = (self.place(sent, event, trigger, kind), hedged, self.leaders(event, leaders),
                              self.participants(event, self.leaders(event, leaders)), event_times(event), refers,
                              about, topic)
        for (event, status), (place, hedged, named, who, when, refers, about, topic) in found.items():
            yield event, status, place, hedged, named, who, when, refers, about, topic

    def subject(self, event, kind: str) -> tuple[str, ...]:
        """The names of what an event is about, for the types that say (events.toml `about`): the proper nouns and
        NER names before the noun it is a round or a series of ("the Uruguay round of trade negotiations"), and
        after one of its `about` words ("negotiations on a Trans-Pacific Partnership")."""
        words = self.lexicon.about.get(kind)
        if not words or not event.tag_.startswith("NN"):
            return ()
        heads = [event.head.head] if event.dep_ == "pobj" and event.head.lower_ == "of" \
            and event.head.head.tag_.startswith("NN") else []  # the word's own modifiers say who talks ("Afghan talks")
        scope = {t.i for head in heads for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i
                 for t in c.subtree}
        scope |= {t.i for c in event.children if c.dep_ == "prep" and c.lower_ in words for t in c.subtree}
        names = {" ".join(e.text.removeprefix("the ").split()).lower() for e in event.sent.ents
                 if e.root.i in scope and e.label_ != "PERSON"}
        covered = {t.i for e in event.sent.ents for t in e}
        names |= {t.lower_ for t in event.sent if t.i in scope and t.i not in covered and t.tag_ in ("NNP", "NNPS")
                  and t.i != event.sent.start}
        return tuple(sorted(name for name in names if name not in self.lexicon.dated))  # "talks on Friday": a time

    def topic(self, event, kind: str) -> str:
        """What talks are about where a common noun says it, for the types that say (events.toml `about`): the noun
        compounded with the event's word, with its own ("the strategic arms limitation talks": arms limitation; "the
        autonomy negotiations"), else
        the object of the infinitive it is for ("negotiations to provide full autonomy"), lower-case; else "". Not
        a name other than the event's own (names are `subject`), a time ("the Friday talks"), or who talks or how
        ("the union talks", "crisis talks": events.toml `not_topics`)."""
        if not self.lexicon.about.get(kind) or not (event.tag_.startswith("NN") or event.dep_ in NOUN_ROLES):
            return ""  # a noun read as a verb counts as kind() counts it ("conclude the arms talks")
        others = {t.i for e in event.sent.ents if not e.start <= event.i < e.end for t in e}
        words = sorted((c for c in event.children if c.dep_ == "compound" and c.i < event.i), key=lambda t: -t.i)
        words += [o for c in event.children if c.dep_ == "acl" and any(a.lower_ == "to" for a in c.children)
                  for o in c.children if o.dep_ == "dobj"]
        for word in words:  # the nearest first ("Multilateral Trade Negotiations": trade)
            if word.tag_ in ("NN", "NNS", "NNP", "NNPS") and word.i not in others and word.lower_ not in (
                    self.lexicon.dated) and word.lower_ not in self.lexicon.not_topics:
                # with the noun it is compounded with ("arms control", "force reduction"), which tells apart two
                # talks of one field
                before = [c.lower_ for c in word.children if c.dep_ == "compound" and c.i == word.i - 1
                          and c.tag_ in ("NN", "NNS", "NNP", "NNPS") and c.i not in others]
                return " ".join([*before, singular(word.lower_)])
        return ""

    def refers(self, event) -> str:
        """What an event noun's own words say of the events named before it (events.toml [anaphora]): "back", it is
        one of them ("these talks", "his visit"); "other", it is another ("another visit", "several further
        visits"); else ""."""
        if not event.tag_.startswith("NN"):
            return ""
        if any(c.dep_ in ("det", "amod") and c.lower_ in self.lexicon.others for c in event.children):
            return "other"
        return "back" if any(c.dep_ in ("det", "poss") and c.lower_ in self.lexicon.anaphors
                             for c in event.children) else ""


def singular(noun: str) -> str:
    """A plural noun's singular by its ending ("limitations", "barriers", "agencies"): the pipeline's parse gives no
    lemmas, and a topic should not tell "arms limitation talks" from "arms limitations talks"."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and not noun.endswith(("ss", "us", "is")) and len(noun) > 3 else noun


def named_place(event) -> str | None:
    """A place of the gazetteer that the event's own name holds, where the NER gave it no place of its own ("the
    Tokyo Summit", "the 1980 Venice Economic Summit", read whole as an event): a proper noun before the event's word
    in its compounds, in no name the NER gave (places it gave were read before, and "US-Russia summit" names who
    meets) other than the event's own whole name ("the Venice Economic Summit" as a body or a facility). A run of
    proper nouns is one name, read from its start: its longest start the gazetteer knows ("Tokyo" of "Tokyo
    Economic", "New York" whole), never a word inside it alone ("the North American Summit" is not in America, nor
    "the New York summit" in York)."""
    names = {t.i for e in event.sent.ents if not e.start <= event.i < e.end for t in e}
    words = [c for c in event.children if c.dep_ == "compound" and c.i < event.i]
    words += [c for w in words for c in w.children if c.dep_ == "compound"]
    proper = sorted((word for word in words if word.tag_ in ("NNP", "NNPS") and word.i not in names),
                    key=lambda t: t.i)
    runs: list[list] = []
    for word in proper:
        if runs and word.i == runs[-1][-1].i + 1:
            runs[-1].append(word)
        else:
            runs.append([word])
    for run in runs:
        for end in range(run[-1].i + 1, run[0].i, -1):
            if country_of(name := event.doc[run[0].i:end].text):
                return name
    return None


def _thousands(token, tallies: frozenset[str]) -> bool:
    """Whether a noun is counted in thousands: a number of ten thousand or more, or of thousands with a comma
    ("50,000 visits"; not a year: "the 2005 meeting"), one with a word of `tallies` ("1.2 million people"), or
    "thousands of"."""
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lower_ in tallies:
        return True
    for number in (c for c in token.children if c.dep_ == "nummod" or c.tag_ == "CD"):
        digits = number.text.replace(",", "")
        if number.lower_ in tallies or any(t.lower_ in tallies for t in number.subtree) or digits.isdigit() and (
                int(digits) >= 10_000 or "," in number.text and int(digits) >= 1_000):
            return True
    return False


def _meets_with(verb, lexicon: Lexicon) -> bool:
    """Whether a verb of meeting meets *with* someone on a day told: a meeting held, where the bare verb may be an
    acquaintance ("I met with Bibi Netanyahu the other day", not "when we first met" or "I've met with a lot of
    them")."""
    return verb.lower_ in lexicon.participant_verbs and any(
        c.dep_ == "prep" and c.lower_ == "with" for c in verb.children) and any(
        t.lower_ in lexicon.dated for t in verb.subtree)


def _own_words(verb, around: frozenset[str]) -> set[str]:
    """The words of a verb's clause that say when it happens: not those inside a phrase that dates another event
    before or after it ("are holding talks ... ahead of a meeting of ministers on Friday": Friday is the meeting's)."""
    found, stack = set(), [verb]
    while stack:
        token = stack.pop()
        found.add(token.lower_)
        stack.extend(c for c in token.children if c.lower_ not in around)
    return found


def _phrase_words(token) -> set[str]:
    """The words of a phrase without the clauses that describe its words (a participle's or a relative clause's)."""
    found, stack = set(), [token]
    while stack:
        word = stack.pop()
        found.add(word.lower_)
        stack.extend(c for c in word.children if c.dep_ not in PHRASE_CLAUSES)
    return found


def _set_off_frame(event, verb, frames: frozenset[str], ahead: frozenset[str]) -> bool:
    """Whether the event hangs from the verb by a preposition of `frames` that a comma sets off from the clause, with
    no word of `ahead` in it: a frame the parser hangs low that tells the time of the clause above ("demanded that
    the region be included, both during his August summit", not "be signed at the summit next week")."""
    token = event
    while token.head.i != token.i and token.head.i != verb.i:
        token = token.head
    if token.dep_ != "prep" or token.head.i != verb.i or token.lower_ not in frames:
        return False
    start = token.left_edge.i  # "both during ...": the comma is before the frame's first word
    return start > event.sent.start and event.doc[start - 1].text == "," and not {
        t.lower_ for t in token.subtree} & ahead


def _still_ahead(event, words: frozenset[str]) -> bool:
    """Whether the words of an event, or the ones right after them, say it is still to come ("following the
    meeting later on Tuesday", "after the talks next week"), however the parse hangs them."""
    around = [c for c in event.head.children if c.i != event.i] if event.dep_ in ("pobj", "dobj") else []
    around += [c for c in event.children if c.dep_ in ("advmod", "npadvmod", "amod")]
    end = max(t.i for t in event.subtree) + 1
    return any(t.lower_ in words for c in around for t in c.subtree) or (
        end < event.sent.end and event.doc[end].lower_ in words)


def asks(sent) -> bool:
    """Whether a sentence is a direct question, which reports nothing: it ends with a question mark and its main
    verb's auxiliary comes before its subject ("Have countries entered into negotiations?", "Do you think we should
    cancel the meeting?"); "when Gates hosted his summit, who provided the entertainment?" and a question tagged on
    ("she'd come to the meeting, hadn't she?") still report."""
    if not sent.text.rstrip(" \"'”’").endswith("?"):
        return False
    root = sent.root
    subjects = [c.i for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    return bool(subjects) and any(c.dep_ in ("aux", "auxpass") and c.i < min(subjects) for c in root.children) \
        or root.lower_ in ("is", "are", "was", "were") and any(c.i > root.i for c in root.children if c.dep_ == "nsubj")


def capitals(sent) -> list:
    """Places named by their country's people: "the Hungarian capital" (a span over the people's word and
    "capital", which `place` reads as the capital's name: transforms/data/capitals.tsv)."""
    from spacy.tokens import Span

    return [Span(sent.doc, ent.start, ent.root.head.i + 1, label="GPE") for ent in sent.ents
            if ent.label_ == "NORP" and ent.root.head.lower_ == "capital" and ent.root.head.i == ent.end
            and ent.root.dep_ in ("amod", "compound")]


def participant_tokens(event) -> list:
    """The words that can name who meets: a noun's modifiers and its "between", "with", "of" ("a meeting
    between A and B", "the Trump-Putin meeting", "the visit of Vice President Mondale", not "a meeting ... for the
    Trump-Putin meeting"), with the subject of the verb it is the object of ("A held talks with B"); a verb's
    subject, object and "with"."""
    if event.tag_.startswith("NN"):
        tokens = [t for c in event.children if c.dep_ in ("compound", "amod", "nmod", "poss")
                  or c.dep_ == "prep" and c.lower_ in ("between", "with", "among", "of") for t in c.subtree]
        if event.dep_ == "dobj":
            tokens += [t for c in event.head.children if c.dep_ == "nsubj" for t in c.subtree]
        return tokens
    tokens = [t for c in event.children if c.dep_ in ("nsubj", "dobj") or c.dep_ == "prep" and c.lower_ == "with"
              for t in c.subtree]
    if event.dep_ == "acl" and not any(c.dep_ == "nsubj" for c in event.children):  # "Mr Straw, visiting Beijing"
        tokens += [event.head, *(c for c in event.head.children if c.dep_ == "compound")]
    verb = event
    for _ in range(3):  # "Trump and Putin agreed to meet", "Trump announced plans to meet Putin": whose plan
        if any(c.dep_ == "nsubj" for c in verb.children) or verb.head.i == verb.i:
            break
        verb = verb.head
        tokens += [t for c in verb.children if c.dep_ == "nsubj" for t in c.subtree]
    return tokens


def _headline(sent) -> bool:
    """Whether a sentence is a headline's line: it ends with no full stop, question or exclamation mark."""
    return not sent.text.rstrip(" '\"\u2019\u201d").endswith((".", "!", "?"))


QUESTION_WORDS = frozenset({"how", "what", "when", "where", "whether", "which", "who", "why"})


def _headline_infinitive(verb) -> bool:
    """Whether a verb is a headline's infinitive that tells what is to happen ("Obama to attend G20 summit", "Talks on
    Gibraltar to begin"): "to" and the bare verb as the headline's own verb, or hanging from a first word the small
    parser reads as the root with no subject or auxiliary of its own ("Blair to hold talks", "Trump to meet Putin",
    with Blair or Trump the root); not an infinitive under a verb that has its subject ("Talks aim to avert ...")."""
    before = verb.sent[:verb.i - verb.sent.start]
    if verb.tag_ != "VB" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
            or not _headline(verb.sent) or any(t.lower_ in QUESTION_WORDS for t in before):
        return False  # "How to negotiate a pay rise", "Where to meet": advice, not news
    head = verb.head
    if head.i == verb.i:
        return True
    return head.dep_ == "ROOT" and head.i < verb.i and verb.dep_ in ("advcl", "relcl", "acl", "xcomp") \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in head.children)


def _title_case(sent) -> bool:
    """Whether most words of a sentence are capitalised, as in some headlines ("Trump Meets Putin")."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return bool(words) and sum(t.text[:1].isupper() for t in words) >= 0.6 * len(words)


def _hyphenated(ent) -> bool:
    doc = ent.doc
    return (ent.start > 0 and doc[ent.start - 1].text == "-") or (ent.end < len(doc) and doc[ent.end].text == "-")


class StatusExtractor:
    """StatusMentions of one article: `units` picks the sentences worth parsing, `rows` reads their parses.

    The sentences are parsed with tok2vec and parser only; their places are the article's own NER
    spans (`with_places`), taken before the entity ruler, so that in "Budapest meeting" Budapest stays
    a place. The NER is not run twice on the same words.
    """

    components = ("tok2vec", "tagger", "parser")

    def __init__(self, nlp):
        import spacy

        self.lexicon = lexicon()
        self.sentencizer = spacy.blank("en")
        self.sentencizer.add_pipe("sentencizer")
        self.finder = StatusFinder(nlp, self.lexicon)
        self.event_words = self.lexicon.event_pattern

    def units(self, article: Article) -> list[tuple[int, str]]:
        """(offset in the article's analysed text, sentence) of the sentences that name an event word:
        only they are parsed."""
        sentences, offset = [], 0
        for paragraph in analysed_text(article).split("\n"):
            if self.event_words.search(paragraph):
                sentences.extend((offset + s.start_char, s.text) for s in self.sentencizer(paragraph).sents
                                 if self.event_words.search(s.text))
            offset += len(paragraph) + 1
        return sentences

    @staticmethod
    def with_places(doc, offset: int, places: list[tuple[int, int, str]]):
        """The parsed sentence at `offset` with the places (start, end, label) found in its article."""
        from spacy.util import filter_spans

        spans = [doc.char_span(start - offset, end - offset, label=label) for start, end, label in places
                 if offset <= start and end <= offset + len(doc.text)]
        doc.ents = filter_spans([span for span in spans if span is not None])
        doc.user_data["offset"] = offset
        return doc

    def rows(self, article: Article, docs: list, spans: list[tuple[int, int, str]] = (),
             topics: list[TopicTag] = ()) -> list[StatusMention | EventMention]:
        """The article's status mentions and event mentions (mentions.event_rows): each with its event's id,
        and `lead` on the one status mention per event type that gives the article's own status of it. `spans`
        (start, end, label) and `topics`: the article's NER names and topics, which say what kind of page it is."""
        text = analysed_text(article)
        leaders = frozenset(m.group(1).lower() for m in self.lexicon.title_pattern.finditer(text))
        senses = frozenset(sense.name for sense in self.lexicon.senses if sense.article(text))
        subjects = sorted((t for t in topics if t.level == 1), key=lambda t: -t.score)
        page = Page.of(text, [label for *_, label in spans], subjects[0].topic if subjects else None, leaders)
        found = []
        for doc in docs:
            triggers = self.finder.triggers(doc)
            for sent in doc.sents:
                for event, status, place, hedged, named, who, when, refers, about, topic in self.finder.find(
                        sent, triggers, leaders, senses, page):
                    found.append(Found(doc.user_data.get("offset", 0) + sent.start_char, event, status, place,
                                       hedged, sent.text.strip(), named, who, when, refers, about, topic))
        return event_rows(article, fill_places(found, self.lexicon.fill_places), self.lexicon.order,
                          self.lexicon.confidence)
