"""The whole pipeline over the seeds and two bad files, read back with DuckDB."""

import dataclasses
import datetime
import pathlib
import re

import pytest

from pipelines.cli import main
from schemas import catalog
from schemas.tables import TABLES
from tests.conftest import REFERENCE_DATE

SEED = {n: f"{n:03d}_" for n in range(5)}


def sql(output, statement):
    return catalog.connect(str(output)).sql(statement).fetchall()


def test_all_five_tables_have_the_contract_columns(seed_run):
    connection = catalog.connect(str(seed_run))
    for table, record_type in TABLES.items():
        columns = [row[0] for row in connection.sql(f"DESCRIBE {table}").fetchall()]
        assert columns == [f.name for f in dataclasses.fields(record_type)], table


def test_five_articles_none_duplicate_and_seed_003_dated(seed_run):
    rows = sql(seed_run, "SELECT regexp_extract(source, '(\\d{3})_', 1), is_duplicate, published_date, language "
                         "FROM articles ORDER BY 1")
    assert [(n, dup) for n, dup, _, _ in rows] == [(f"{n:03d}", False) for n in range(5)]
    assert rows[3][2] == datetime.date(2025, 10, 31)
    assert {language for *_, language in rows} == {"en"}


@pytest.mark.parametrize("seed,status", [(0, "postponed"), (1, "postponed"), (2, "cancelled"), (3, "cancelled"),
                                         (4, "fast-tracked")])
def test_each_seed_reports_its_summit_status(seed_run, seed, status):
    # The article's own status (its lead mention), not only one of the statuses it recounts.
    lead = sql(seed_run, f"SELECT s.status FROM status_mentions s JOIN articles a USING (article_id) "
                         f"WHERE a.source LIKE '%/{SEED[seed]}%' AND s.event = 'summit' AND s.lead")
    assert lead == [(status,)]


def test_the_alaska_summit_stays_held_and_is_another_event(seed_run):
    rows = sql(seed_run, "SELECT DISTINCT status, lead, event_id FROM status_mentions WHERE place = 'Alaska'")
    budapest = sql(seed_run, "SELECT DISTINCT event_id FROM status_mentions WHERE place = 'Budapest'")
    assert [(status, lead) for status, lead, _ in rows] == [("held", False)]
    assert rows[0][2] not in {event for (event,) in budapest}


def test_the_seeds_list_one_alaska_summit_and_one_budapest_summit(seed_run, capsys):
    # seed 002 says "his August summit with Trump in Alaska", then "At the Alaska summit, Trump ..." and, between
    # them, "a meeting with Rubio in New York in September": one summit, and the meeting another event
    alaska = sql(seed_run, "SELECT DISTINCT event_id FROM event_mentions WHERE event = 'summit' AND place = 'Alaska'")
    new_york = sql(seed_run, "SELECT DISTINCT event_id FROM event_mentions WHERE place = 'New York'")
    assert len(alaska) == 1 and alaska != new_york
    assert main(["query", "events", "--output", str(seed_run), "--format", "csv"]) == 0
    summits = [line.split(",")[1] for line in capsys.readouterr().out.splitlines()[1:] if line.startswith("summit,")]
    assert summits.count("Alaska") == 1 and summits.count("Budapest") == 1


def test_event_timeline_shows_the_budapest_summit_by_day(seed_run, capsys):
    assert main(["query", "event-timeline", "--output", str(seed_run), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("event,day,status,articles,stories,first_report,latest_status,latest_since,places,"
                        "participants,event_id")
    budapest = [line.split(",")[1:3] for line in lines if line.startswith("Budapest,")]
    assert budapest[:2] == [["2025-10-21", "postponed"], ["2025-10-31", "cancelled"]]
    assert all(",2025-10-21,cancelled,2025-10-31," in line for line in lines if line.startswith("Budapest,"))


def test_the_budapest_summit_is_one_event_whether_a_report_names_budapest_or_hungary(seed_run, capsys):
    ids = sql(seed_run, "SELECT DISTINCT event_id FROM status_mentions WHERE event = 'summit' "
                        "AND place IN ('Budapest', 'Hungary')")
    assert len(ids) == 1
    assert main(["query", "event-timeline", "--output", str(seed_run), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    hungarian = [line for line in lines if "Budapest" in line or "Hungary" in line]
    assert hungarian and all(line.startswith("Budapest,") and line.endswith(ids[0][0]) for line in hungarian)
    assert '"Budapest, Hungary"' in hungarian[0]  # its places, city and country, in one timeline


def test_status_queries_take_the_event_type(seed_run, capsys):
    assert main(["query", "summit-status-daily", "--output", str(seed_run), "--format", "csv",
                 "--event", "talks"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    talks = sql(seed_run, "SELECT count(*) FROM status_mentions WHERE event = 'talks'")[0][0]
    assert rows and sum(int(line.split(",")[2]) for line in rows) == talks


def test_binary_and_empty_files_are_two_dead_letters(seed_run):
    rows = sql(seed_run, "SELECT regexp_extract(source, '[^/]+$'), stage FROM dead_letter ORDER BY 1")
    assert rows == [("empty.txt", "read"), ("photo.txt", "read")]


def test_entities_and_statuses_carry_the_article_date(seed_run):
    mismatched = sql(seed_run, """
        SELECT count(*) FROM entities e JOIN articles a USING (article_id)
        WHERE e.published_date IS DISTINCT FROM a.published_date""")
    assert mismatched == [(0,)]


def test_two_runs_over_the_same_input_give_identical_rows(seed_run, input_with_bad_files, tmp_path):
    assert main(["run", "--input", str(input_with_bad_files), "--output", str(tmp_path),
                 "--reference-date", REFERENCE_DATE.isoformat()]) == 0
    for table in TABLES:
        statement = f"SELECT * FROM {table} ORDER BY ALL"
        assert sql(seed_run, statement) == sql(tmp_path, statement), table


def test_summit_status_daily_prints_the_contract_columns(seed_run, capsys):
    assert main(["query", "summit-status-daily", "--output", str(seed_run), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "day,status,mentions,articles"
    assert any(line.startswith("2025-10-31,cancelled,") for line in lines)


def test_ad_hoc_sql_sees_every_table_as_a_view(seed_run, capsys):
    assert main(["sql", "SELECT count(*) AS n FROM articles", "--output", str(seed_run), "--format", "json"]) == 0
    assert capsys.readouterr().out.strip() == '{"n": 5}'


def test_query_on_a_folder_without_output_says_what_to_do(tmp_path, capsys):
    assert main(["query", "summit-status-daily", "--output", str(tmp_path)]) == 2
    assert "run `newsbeam run --output DIR` first" in capsys.readouterr().err


def test_input_that_matches_nothing_fails_before_the_run(tmp_path, capsys):
    assert main(["run", "--input", str(tmp_path / "missing" / "*.txt"), "--output", str(tmp_path)]) == 2
    assert "matches no files" in capsys.readouterr().err


@pytest.mark.parametrize("name", catalog.query_names())
def test_every_named_query_runs_on_a_real_output(seed_run, name):
    connection = catalog.connect(str(seed_run))
    assert connection.sql(catalog.named_query(name)).columns


def test_every_spelling_of_zelensky_lavrov_and_putin_is_one_entity(seed_run):
    rows = dict(sql(seed_run, """
        SELECT CASE WHEN mention ILIKE '%zelensk%' THEN 'zelensky' WHEN mention ILIKE '%lavrov%' THEN 'lavrov'
                    WHEN mention ILIKE '%putin%' AND mention NOT ILIKE '%trump%' THEN 'putin' END AS who,
               list(DISTINCT canonical)
        FROM entities WHERE who IS NOT NULL GROUP BY who"""))
    assert rows == {"zelensky": ["Volodymyr Zelensky"], "lavrov": ["Sergei Lavrov"], "putin": ["Vladimir Putin"]}
    spellings = sql(seed_run, "SELECT count(DISTINCT mention) FROM entities WHERE canonical = 'Volodymyr Zelensky'")
    assert spellings[0][0] >= 3  # Zelensky, Zelenskyy, Zelenskiy and the full name all map there


def test_no_person_is_also_an_organisation_or_a_place(seed_run):
    assert sql(seed_run, """
        SELECT canonical FROM entities GROUP BY canonical
        HAVING count(*) FILTER (WHERE label = 'PERSON') > 0 AND count(*) FILTER (WHERE label IN ('ORG', 'GPE')) > 0
    """) == []


def test_no_entity_comes_from_headline_lists_or_latest_news(seed_run):
    assert sql(seed_run, """SELECT mention FROM entities WHERE mention IN
        ('Gateway Rail Tunnel Project', 'Sanae Takaichi', 'Thorbjoern Jagland', 'Netanyahu', 'Venezuela',
         'Trinidad & Tobago', 'Italy', 'Greece', 'IMF', 'Fed')""") == []


@pytest.mark.parametrize("seed,status,place", [(2, "held", "Alaska"), (2, "cancelled", "Budapest"),
                                               (3, "cancelled", "Budapest"), (0, "postponed", "Budapest"),
                                               (4, "fast-tracked", "Gulf")])
def test_summit_status_is_filed_under_its_place(seed_run, seed, status, place):
    rows = sql(seed_run, f"""SELECT DISTINCT s.status, s.place FROM status_mentions s JOIN articles a USING (article_id)
                             WHERE a.source LIKE '%/{SEED[seed]}%' AND s.event = 'summit' AND NOT s.hedged""")
    assert (status, place) in rows
    if seed == 2:
        assert ("held", "Budapest") not in rows and ("cancelled", "Alaska") not in rows


def test_every_seed_is_politics_and_international_relations_with_codes_and_levels(seed_run):
    rows = sql(seed_run, """SELECT article_id, list(code ORDER BY level), list(level ORDER BY level)
                            FROM topics GROUP BY 1""")
    assert len(rows) == 5
    assert all(codes == ["medtop:11000000", "medtop:20000638"] and levels == [1, 2] for _, codes, levels in rows)
    daily = sql(seed_run, "SELECT DISTINCT topic FROM topics WHERE level = 1")
    assert daily == [("politics",)]


def test_readme_shows_the_table_make_run_prints(tmp_path, capsys):
    """`make run` as a new user runs it: the packaged seeds, today's date; the README must not drift."""
    assert main(["run", "--output", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["query", "summit-status-daily", "--output", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    readme = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"`make run` ends with the summit-status table.*?```\n(.*?)```", readme, re.S).group(1)
    assert printed == shown


def test_version_names_newsbeam_and_what_decides_its_output(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert printed.startswith("newsbeam ") and "Beam 2.77.0" in printed and "spaCy 3.8" in printed


def test_query_list_describes_each_query(capsys):
    assert main(["query", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    described = dict(line.split(None, 1) for line in lines)
    assert set(described) == set(catalog.query_names())
    assert described["top-entities"].startswith("The 25 most mentioned entities of the whole run")
    assert all(description.strip() for description in described.values())


def test_the_run_leaves_a_duckdb_database_with_tables_and_named_queries(seed_run, tmp_path, monkeypatch):
    import duckdb

    monkeypatch.chdir(tmp_path)  # the database's views do not depend on the reader's folder
    connection = duckdb.connect(str(seed_run / catalog.DATABASE), read_only=True)
    assert connection.sql("SELECT count(*) FROM articles").fetchall() == [(5,)]
    in_database = connection.sql("SELECT * FROM summit_status_daily ORDER BY ALL").fetchall()
    named = catalog.named_query("summit-status-daily").replace("getvariable('event')", "'summit'")
    assert in_database == sql(seed_run, f"SELECT * FROM ({named}) ORDER BY ALL")
    connection.execute("SET VARIABLE event = 'talks'")
    talks = sql(seed_run, "SELECT count(*) FROM status_mentions WHERE event = 'talks'")[0][0]
    assert sum(n for _, _, n, _ in connection.sql("SELECT * FROM summit_status_daily").fetchall()) == talks


def test_progress_sums_every_worker_against_the_total(monkeypatch):
    # Workers (threads or processes) write their counts; the run's line sums them against the files.
    from pipelines.progress import ProgressLine
    from transforms.common import PROGRESS_DIR, Progress

    shown = ProgressLine(total=5)
    monkeypatch.setenv(PROGRESS_DIR, shown.folder)
    shown.started = 0.0
    one, two, analysed = Progress("first_read"), Progress("first_read"), Progress("nlp")
    one.advance(2), two.advance(1), analysed.advance(2)
    for progress in (one, two, analysed):
        progress.finish()
    assert re.search(r"read 3/5, analysed 2 \(", shown.line())
    shown.stop()
    assert not pathlib.Path(shown.folder).exists()


def test_the_run_leaves_a_record_of_what_it_read_rejected_and_took(seed_run):
    import json

    record = json.loads((seed_run / "run.json").read_text(encoding="utf-8"))
    assert record["counters"]["write"]["articles_rows"] == 5
    assert sum(record["dead_letters"].values()) == 2 and all(k.startswith("read: ") for k in record["dead_letters"])
    assert record["versions"].startswith("newsbeam ") and record["options"]["reference_date"]


def test_the_events_query_lists_each_event_once_with_its_latest_status(seed_run, capsys):
    assert main(["query", "events", "--output", str(seed_run), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("type,event,first_day,last_day,days,mentions,articles,latest_status,event_id,places,"
                        "participants")
    budapest = [line.split(",") for line in lines[1:] if ",Budapest," in line]
    assert len(budapest) == 1  # one row, however many articles report it
    assert budapest[0][2:5] == ["2025-10-21", "2025-10-31", "2"] and budapest[0][7] == "cancelled"


def test_the_events_query_counts_every_sentence_naming_the_event_not_only_its_statuses(seed_run, capsys):
    event_id, = sql(seed_run, "SELECT DISTINCT event_id FROM status_mentions WHERE place = 'Budapest'")[0]
    named, = sql(seed_run, f"SELECT count(*) FROM event_mentions WHERE event_id = '{event_id}'")[0]
    reported, = sql(seed_run, f"SELECT count(*) FROM status_mentions WHERE event_id = '{event_id}'")[0]
    assert main(["query", "events", "--output", str(seed_run), "--format", "csv"]) == 0
    budapest = [line.split(",") for line in capsys.readouterr().out.splitlines() if event_id in line]
    assert int(budapest[0][5]) == named > reported  # "the summit's agenda" is coverage too


def test_the_timeline_shows_a_day_the_event_was_named_with_no_status_read(seed_run, tmp_path, capsys):
    """A later article that names the summit without reporting its status is a day of its coverage."""
    import shutil

    import pyarrow.parquet as pq

    from schemas.records import Article, EventMention
    from schemas.tables import to_arrow

    output = tmp_path / "out"
    shutil.copytree(seed_run, output)
    event_id, = sql(output, "SELECT DISTINCT event_id FROM status_mentions WHERE place = 'Budapest'")[0]
    day = datetime.date(2025, 11, 3)
    article = Article(article_id="later", source="later.txt", title="Orban's week", published_date=day,
                      date_source="text", language="en", text="...", story_id="later")
    mention = EventMention(article_id="later", published_date=day, event="summit", status=None, place="Budapest",
                           sentence="Orban spoke of the Budapest summit.", event_id=event_id)
    for table, record in (("articles", article), ("event_mentions", mention)):
        folder = output / table / f"published_date={day.isoformat()}"
        folder.mkdir(parents=True)
        pq.write_table(to_arrow(table, [record]), folder / "part-later.parquet")
    assert main(["query", "event-timeline", "--output", str(output), "--format", "csv"]) == 0
    budapest = [line.split(",")[1:5] for line in capsys.readouterr().out.splitlines() if line.startswith("Budapest,")]
    assert budapest[:3] == [["2025-10-21", "postponed", "1", "1"], ["2025-10-31", "cancelled", "1", "1"],
                            ["2025-11-03", "", "1", "1"]]
    assert main(["query", "events", "--output", str(output), "--format", "csv"]) == 0
    row = next(line.split(",") for line in capsys.readouterr().out.splitlines() if event_id in line)
    assert row[2:5] == ["2025-10-21", "2025-11-03", "3"] and row[7] == "cancelled"  # no status read is no news


def test_an_event_that_names_no_place_or_participant_is_listed_by_the_headline_that_reports_it(seed_run, tmp_path,
                                                                                                 capsys):
    import shutil

    import pyarrow.parquet as pq

    from schemas.records import Article, EventMention
    from schemas.tables import to_arrow

    output = tmp_path / "out"
    shutil.copytree(seed_run, output)
    article = Article(article_id="bare", source="bare.txt", title="Unions walk out of pension talks",
                      published_date=None, date_source="none", language="en", text="...", story_id="bare")
    mention = EventMention(article_id="bare", published_date=None, event="summit", status=None, place=None,
                           sentence="The summit ended early.", event_id="bare-summit")
    for table, record in (("articles", article), ("event_mentions", mention)):
        folder = output / table / "published_date=__HIVE_DEFAULT_PARTITION__"
        pq.write_table(to_arrow(table, [record]), folder / "part-bare.parquet")
    assert main(["query", "events", "--output", str(output), "--format", "csv"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if "bare-summit" in line)
    assert row.startswith('summit,"in ""Unions walk out of pension talks""",')
