import datetime

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import SEED_FILES, in_process_pipeline
from transforms.common import DEAD_LETTER
from transforms.sources.read import ReadDocuments, decode, split_metadata


def test_seeds_are_read_as_five_documents_with_stable_ids(input_with_bad_files):
    with in_process_pipeline() as p:
        read = p | ReadDocuments([str(input_with_bad_files / "0*.txt")])
        assert_that(read["documents"] | beam.Map(lambda d: d.source.rsplit("/", 1)[1]),
                    equal_to([f.name for f in SEED_FILES]), label="sources")
        assert_that(read[DEAD_LETTER], equal_to([]), label="no dead letters")


def test_binary_and_empty_files_become_dead_letters_beside_good_documents(input_with_bad_files):
    with in_process_pipeline() as p:
        read = p | ReadDocuments([str(input_with_bad_files / "*")])
        assert_that(read["documents"] | beam.combiners.Count.Globally(), equal_to([5]), label="documents")
        assert_that(
            read[DEAD_LETTER] | beam.Map(lambda d: (d.source.rsplit("/", 1)[1], d.stage, d.error.split(":")[0])),
            equal_to([("photo.txt", "read", "binary file"), ("empty.txt", "read", "empty file")]),
            label="dead letters")


def test_too_large_file_is_rejected_with_the_limit_named(tmp_path):
    (tmp_path / "huge.txt").write_text("Putin and Trump met in Alaska. " * 1000)
    with in_process_pipeline() as p:
        read = p | ReadDocuments([str(tmp_path / "*.txt")], max_bytes=10_000)
        assert_that(read[DEAD_LETTER] | beam.Map(lambda d: d.error.startswith("too large") and "10000" in d.error),
                    equal_to([True]))


def test_date_prefix_of_seed_003_is_metadata_not_text():
    text, day = split_metadata(SEED_FILES[3].read_text())
    assert day == datetime.date(2025, 10, 31)
    assert text.startswith("The planned Budapest summit")


def test_legacy_windows_1252_page_is_decoded_not_rejected():
    assert decode("Zelenskyy’s café".encode("cp1252")) == "Zelenskyy’s café"


def test_article_id_does_not_depend_on_where_the_input_is_mounted(tmp_path):
    for mount in ("a", "b"):
        (tmp_path / mount / "news").mkdir(parents=True)
        (tmp_path / mount / "news" / SEED_FILES[0].name).write_bytes(SEED_FILES[0].read_bytes())
    with in_process_pipeline() as p:
        ids = [p | f"Read{m}" >> ReadDocuments([str(tmp_path / m / "news")]) for m in ("a", "b")]
        both = [read["documents"] | f"Ids{n}" >> beam.Map(lambda d: d.article_id) for n, read in enumerate(ids)]
        assert_that(both | beam.Flatten() | beam.Distinct() | beam.combiners.Count.Globally(), equal_to([1]))


def test_two_copies_of_a_file_in_one_input_are_two_articles_with_two_ids(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / "news" / folder).mkdir(parents=True)
        (tmp_path / "news" / folder / SEED_FILES[0].name).write_bytes(SEED_FILES[0].read_bytes())
    with in_process_pipeline() as p:
        read = p | ReadDocuments([str(tmp_path / "news"), str(tmp_path / "news" / "a" / SEED_FILES[0].name)])
        ids = read["documents"] | "Ids" >> beam.Map(lambda d: d.article_id)
        assert_that(ids | beam.Distinct() | beam.combiners.Count.Globally(), equal_to([2]), label="ids")
        assert_that(ids | "All" >> beam.combiners.Count.Globally(), equal_to([2]), label="each file once")
