"""What varies is data: a language and an event type added as data files, with no Python change, are
found by a real run (`newsbeam run --data DIR`), and are not found without them."""

import pathlib

import pytest

from pipelines.cli import main
from schemas import catalog

EVENTS = pathlib.Path(__file__).resolve().parents[2] / "transforms" / "data" / "events.toml"

SWEDISH_PROFILE = """
name = "Swedish"

[people]
titles = ["statsminister", "statsministern", "minister", "ministern"]

[dates]
months = [["januari", "jan"], ["februari", "feb"], ["mars", "mar"], ["april", "apr"], ["maj"], ["juni", "jun"],
          ["juli", "jul"], ["augusti", "aug"], ["september", "sep"], ["oktober", "okt"], ["november", "nov"],
          ["december", "dec"]]
weekdays = [["måndag"], ["tisdag"], ["onsdag"], ["torsdag"], ["fredag"], ["lördag"], ["söndag"]]
"""

STRIKE = """
[event.strike]
nouns = ["strike", "strikes", "walkout"]
verbs = []

[event.strike.statuses]
averted = ["averted", "avert", "averts", "headed off"]
"""

SWEDISH_ARTICLE = """Ny plan för järnvägen i norr

Stockholm, 12 augusti 2026. Regeringen presenterade en ny plan för järnvägen i norra Sverige. \
Enligt statsministern Kristersson ska satsningen ge fler tåg och kortare restider i hela landet. \
Oppositionen kritiserade förslaget och krävde mer pengar till underhållet av spåren. Trafikverket \
säger att många banor behöver byggas om under de kommande åren, och att arbetet börjar redan i höst.
"""

STRIKE_ARTICLE = """Rail strike averted after late talks

A national rail strike planned for Monday was averted on Sunday after the union accepted a new pay \
offer, the transport secretary said.

Passengers had been told to expect the worst disruption in a decade.
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> pathlib.Path:
    folder = tmp_path_factory.mktemp("input")
    (folder / "sv_rail.txt").write_text(SWEDISH_ARTICLE, encoding="utf-8")
    (folder / "en_strike.txt").write_text(STRIKE_ARTICLE, encoding="utf-8")
    return folder


def run(inputs: pathlib.Path, output: pathlib.Path, *options: str):
    assert main(["run", "--input", str(inputs), "--output", str(output), "--reference-date", "2026-12-06",
                 *options]) == 0
    connection = catalog.connect(str(output))
    swedish = connection.sql("SELECT language, published_date FROM articles WHERE source LIKE '%sv_rail%'").fetchall()
    people = connection.sql("SELECT canonical FROM entities WHERE label = 'PERSON'").fetchall()
    strikes = connection.sql("SELECT status FROM status_mentions WHERE event = 'strike'").fetchall()
    return swedish, {name for (name,) in people}, [status for (status,) in strikes]


def test_a_language_profile_and_an_event_type_added_as_data_are_found(inputs, tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "languages").mkdir(parents=True)
    (data / "languages" / "sv.toml").write_text(SWEDISH_PROFILE, encoding="utf-8")
    (data / "events.toml").write_text(EVENTS.read_text(encoding="utf-8") + STRIKE, encoding="utf-8")

    swedish, people, strikes = run(inputs, tmp_path / "without")
    assert [language for language, _ in swedish] == ["sv"]
    assert swedish[0][1] is None and "Kristersson" not in people and strikes == []

    monkeypatch.setenv("NEWSBEAM_DATA", str(data))  # restored after the test; --data sets it for the run
    swedish, people, strikes = run(inputs, tmp_path / "with", "--data", str(data))
    assert str(swedish[0][1]) == "2026-08-12"  # the dateline, in the profile's month names
    assert "Kristersson" in people  # a title of the profile before a surname
    assert strikes and set(strikes) == {"averted"}  # the new type, with its own status (headline and lede)
