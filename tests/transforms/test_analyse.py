"""The analyse stage: one article the model cannot read becomes a dead letter, its batch-mates get through."""

import dataclasses

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import in_process_pipeline
from tests.transforms.test_dedup import seed_article
from transforms.analyse import ENTITIES, AnalyseArticles
from transforms.common import DEAD_LETTER
from transforms.nlp import DEFAULT_MODEL


def test_an_article_too_long_for_the_model_is_a_dead_letter_and_its_batch_mates_are_analysed():
    # 1.2 million characters: over spaCy's max_length, under the reader's 5 MB limit.
    huge = dataclasses.replace(seed_article(1), article_id="huge", source="huge.txt",
                               text="Trump met Putin in Alaska on Friday. " * 33_000)
    with in_process_pipeline() as p:
        analysed = p | beam.Create([seed_article(0), huge, seed_article(2)]) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(analysed[DEAD_LETTER] | beam.Map(lambda d: (d.source, d.stage, "E088" in d.error)),
                    equal_to([("huge.txt", "nlp", True)]), label="dead letter")
        assert_that(analysed[ENTITIES] | beam.Map(lambda e: e.article_id) | beam.Distinct(),
                    equal_to(["seed0", "seed2"]), label="neighbours")
