import datetime

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article
from tests.conftest import SEED_FILES, in_process_pipeline
from transforms.common import DEAD_LETTER, Carrying
from transforms.findings import Findings, MarkFn
from transforms.sources.read import (
    LOCATED,
    InputFile,
    ReadAgainFn,
    ReadDocuments,
    article_id_for,
    decode,
    split_metadata,
)


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


def test_a_file_crosses_the_findings_join_as_its_path_and_is_read_again_beside_its_findings(tmp_path):
    """Only ids and paths are shuffled to the second read: the corpus's text never is (issue 32)."""
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / SEED_FILES[0].name).write_bytes(SEED_FILES[0].read_bytes())
    found = InputFile(bytes(tmp_path / "news" / SEED_FILES[0].name), f"news/{SEED_FILES[0].name}".encode())
    article_id = article_id_for(found.name, SEED_FILES[0].read_bytes())
    with in_process_pipeline() as p:
        read = p | ReadDocuments([str(tmp_path / "news")], locate=True)
        assert_that(read[LOCATED], equal_to([(article_id, found)]))

    again = Carrying(ReadAgainFn())
    again.setup()
    [(findings, document)] = list(again.process((Findings(article_id, story_id="story"), found)))
    assert document.article_id == article_id and document.text.startswith("(Washington/Moscow)")
    assert findings.story_id == "story"


def test_a_file_edited_between_the_two_reads_is_kept_as_a_new_article_without_the_old_findings(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text("Putin and Trump met in Alaska on Friday.")
    found = InputFile(bytes(path), b"news.txt")
    reader = ReadAgainFn()
    reader.setup()
    [before] = list(reader.process(found))
    path.write_text("Putin and Trump will meet in Budapest, officials said.")
    [after] = list(reader.process(found))
    article = Article(after.article_id, after.source, None, None, "unknown", "en", after.text)
    [kept, analysed] = list(MarkFn().process((Findings(before.article_id, duplicate_of="another"), article)))
    assert kept.article_id != before.article_id and not kept.is_duplicate and kept.story_id == kept.article_id
    assert analysed.value == (kept, ())
