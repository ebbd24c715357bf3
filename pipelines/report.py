"""`newsbeam report`: one self-contained HTML page of a run, for an analyst who wants to look.

The charts are Vega-Lite specifications (built with Altair) rendered to SVG by vl-convert here, and
put in the page inline: no script at all, nothing fetched from the network, so the page opens
offline, in any browser, at once. The numbers come from the run's DuckDB views (schemas/catalog).
"""

from __future__ import annotations

import datetime
import html
import os

from schemas import catalog

REPORT = "report.html"
WIDTH = 720
MOST_EVENTS = 6  # events with the most reports get a timeline each
NO_STATUS = "named, no status"  # a timeline's articles that name the event with no status read in their lede


class ReportUnavailable(catalog.UsageError):
    pass


def _rows(connection, statement: str) -> list[dict]:
    relation = connection.sql(statement)
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def _plain(rows: list[dict]) -> list[dict]:
    """Dates as ISO strings, the way Vega-Lite reads them."""
    return [{k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in row.items()} for row in rows]


def _svg(chart) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())


def _table(rows: list[dict], columns: list[str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if r[c] is None else str(r[c]))}</td>" for c in columns)
                   + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>" if rows else "<p class=none>none</p>"


def event_title(event: str, row: dict) -> str:
    """A timeline's title: the event type, where (every place its mentions name) and who meets."""
    places = row.get("places") or row["event"]
    who = ", ".join(name.title() for name in (row.get("participants") or "").split(", ")[:4] if name)
    return f"{event} {places}" + (f" with {who}" if who else "")


def _event_timelines(alt, timeline: list[dict], colours, event: str) -> str:
    """One chart per event (event_id) with dated coverage, most covered first: statuses by day as stacked bars,
    the articles that name the event with no status read among them."""
    dated = [{**r, "status": r["status"] or NO_STATUS} for r in timeline if r["day"]]
    size = {}
    for r in dated:
        size[r["event_id"]] = size.get(r["event_id"], 0) + r["articles"]
    charts = []
    for event_id in sorted(size, key=lambda e: (-size[e], e))[:MOST_EVENTS]:
        rows = [r for r in dated if r["event_id"] == event_id]
        latest = f"latest {rows[0]['latest_status']}" if rows[0]["latest_status"] else "no status read"
        chart = alt.Chart(alt.Data(values=rows)).mark_bar(size=10).encode(
            x=alt.X("yearmonthdate(day):T", title="day", axis=alt.Axis(format="%d %b", tickCount="day")),
            y=alt.Y("stories:Q", title="stories", axis=alt.Axis(tickMinStep=1), stack="zero"),
            color=alt.Color("status:N", title="status", scale=colours),
        ).properties(width=WIDTH, height=140, title=f"{event_title(event, rows[0])}: {latest}")
        charts.append(_svg(chart))
    return "".join(charts) or "<p class=none>no dated reports</p>"


def build(output: str, event: str | None = None) -> str:
    """The page's HTML for the run in `output`."""
    try:
        import altair as alt
    except ImportError as error:
        raise ReportUnavailable("the report needs its chart libraries: pip install 'newsbeam[report]' "
                                "(make run installs them)") from error
    from transforms.events.lexicon import default_event, lexicon

    event = event or default_event()
    connection = catalog.connect(output)
    connection.execute("SET VARIABLE event = ?", [event])
    sections = []
    statuses = lexicon().order(event)  # most specific first: the legend's order
    palette = ["#c0392b", "#e67e22", "#8e44ad", "#27ae60", "#2980b9", "#7f8c8d", "#16a085"]
    STATUS_COLOURS = alt.Scale(domain=[*statuses, NO_STATUS],  # noqa: N806 - a constant here
                               range=[*palette[:len(statuses)], "#bdc3c7"])
    timeline = _plain(_rows(connection, catalog.named_query("event-timeline")))
    sections.append((f"Event status timelines ({event})", _event_timelines(alt, timeline, STATUS_COLOURS, event),
                     f"One chart per event (its event_id, whichever place or leaders a report names): each "
                     f"article's own status (its headline and lede) by day, in stories, and in grey the articles "
                     f"that name the event with no status read ({NO_STATUS}); "
                     f"{sum(r['articles'] for r in timeline if not r['day'])} undated article reports are not "
                     "drawn. Source: the event-timeline query."))

    events = [{**r, "participants": r["participants"] and r["participants"].title()}  # surnames, as in the titles
              for r in _rows(connection, catalog.named_query("events"))]
    sections.append((f"Events ({event})", _table(events[:MOST_EVENTS * 2], ["event", "first_day", "last_day", "days",
                                                                          "articles", "mentions", "latest_status",
                                                                          "places", "participants"]),
                     f"Each event once, most covered first ({len(events)} in all): every sentence that names it "
                     "counts, with a status or none; its latest status is the latest article lede's. "
                     "Source: the events query."))

    volume = _plain(_rows(connection, """
        SELECT published_date AS day, count(DISTINCT story_id) AS stories,
               count(*) - count(DISTINCT story_id) AS more
        FROM articles WHERE published_date IS NOT NULL GROUP BY 1 ORDER BY 1"""))
    # one bar a day: its stories, and the further articles (copies, rewrites) of them on top
    long_volume = [{"day": r["day"], "count": r[k], "of": of} for r in volume
                   for k, of in (("stories", "stories"), ("more", "more articles of them")) if r[k]]
    sections.append(("Coverage by day", _svg(alt.Chart(alt.Data(values=long_volume)).mark_bar(size=8).encode(
        x=alt.X("yearmonthdate(day):T", title="day", axis=alt.Axis(format="%d %b")),
        y=alt.Y("count:Q", title="articles", axis=alt.Axis(tickMinStep=1), stack="zero"),
        color=alt.Color("of:N", title="", sort=["stories", "more articles of them"]),
    ).properties(width=WIDTH, height=180)) if volume else "<p class=none>no dated articles</p>",
                     "Articles per publication day: unique stories, and further articles of them on top."))

    people = []
    for label, title in (("PERSON", "People"), ("GPE", "Places"), ("ORG", "Organisations")):
        rows = _rows(connection, f"""
            SELECT canonical, count(DISTINCT article_id) AS articles FROM entities WHERE label = '{label}'
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 12""")
        if rows:
            people.append(_svg(alt.Chart(alt.Data(values=rows)).mark_bar().encode(
                x=alt.X("articles:Q"), y=alt.Y("canonical:N", sort="-x", title=None),
            ).properties(width=WIDTH // 2, height=16 * len(rows), title=title)))
    sections.append(("Who and where", "".join(people) or "<p class=none>no entities</p>",
                     "Articles naming each canonical name, most first."))

    topics = _plain(_rows(connection, """
        SELECT published_date AS day, topic, count(*) AS articles FROM topics
        WHERE published_date IS NOT NULL AND level = 1 GROUP BY 1, 2 ORDER BY 1, 2"""))
    sections.append(("Topics by day", _svg(alt.Chart(alt.Data(values=topics)).mark_bar(size=10).encode(
        x=alt.X("yearmonthdate(day):T", title="day", axis=alt.Axis(format="%d %b")),
        y=alt.Y("articles:Q", axis=alt.Axis(tickMinStep=1)), color=alt.Color("topic:N", title="subject"),
    ).properties(width=WIDTH, height=180)) if topics else "<p class=none>no dated topics</p>",
                     "Articles per publication day by IPTC subject (Media Topics, level 1)."))

    stories = _rows(connection, """
        SELECT any_value(title ORDER BY is_duplicate, published_date) AS headline, count(*) AS articles,
               count(*) FILTER (WHERE is_duplicate) AS copies, count(DISTINCT source) AS sources,
               min(published_date) AS first_day, string_agg(DISTINCT regexp_extract(source, '[^/]+$'), ', ') AS files
        FROM articles GROUP BY story_id HAVING count(*) > 1 ORDER BY articles DESC, first_day LIMIT 10""")
    sections.append(("Largest stories", _table(stories, ["headline", "articles", "copies", "first_day", "files"]),
                     "Stories told by more than one article: copies and rewrites of one story."))

    languages = _rows(connection, "SELECT coalesce(language, '(unknown)') AS language, count(*) AS articles "
                                  "FROM articles GROUP BY 1 ORDER BY 2 DESC")
    sections.append(("Languages", _svg(alt.Chart(alt.Data(values=languages)).mark_bar().encode(
        x=alt.X("articles:Q"), y=alt.Y("language:N", sort="-x"),
    ).properties(width=WIDTH // 2, height=18 * max(len(languages), 1))) if languages else "", ""))

    rejected = _rows(connection, """
        SELECT stage, left(error, 90) AS reason, count(*) AS inputs FROM dead_letter
        GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 20""")
    sections.append(("What was rejected", _table(rejected, ["stage", "reason", "inputs"]),
                     "Inputs that became dead_letter rows, by stage and reason."))

    totals = _rows(connection, "SELECT count(*) AS articles, count(DISTINCT story_id) AS stories, "
                               "min(published_date) AS first_day, max(published_date) AS last_day FROM articles")[0]
    body = "".join(f"<section><h2>{html.escape(title)}</h2>{content}"
                   + (f"<p class=note>{html.escape(note)}</p>" if note else "") + "</section>"
                   for title, content, note in sections)
    summary = (f"{totals['articles']} articles, {totals['stories']} stories, "
               f"{totals['first_day'] or '?'} to {totals['last_day'] or '?'}")
    name = html.escape(os.path.basename(os.path.abspath(output)))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsbeam report: {name}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 800px; color: #222; }}
h1 {{ font-size: 1.5em; }} h2 {{ font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }}
svg {{ display: block; margin: 0.5em 0; max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; font-size: 13px; }} td, th {{ border: 1px solid #ddd; padding: 3px 6px; }}
.note, .none {{ color: #666; font-size: 13px; }}
</style></head>
<body><h1>newsbeam report</h1><p>{html.escape(summary)} &middot; {html.escape(os.path.abspath(output))}</p>
{body}
</body></html>
"""


def write(output: str, event: str | None = None, to: str | None = None) -> str:
    """Writes the page (OUT/report.html unless `to` says where), whole or not at all."""
    page = build(output, event)
    path = to or os.path.join(output, REPORT)
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(page)
    os.replace(temporary, path)
    return path


def chart(output: str, query: str, to: str, event: str | None = None) -> str:
    """A named query with a `day` column as a chart: its first number by day, coloured by its first text
    column. `to` ends in .svg, .png or .html (a page with the SVG inline)."""
    try:
        import altair as alt
        import vl_convert
    except ImportError as error:
        raise ReportUnavailable("charts need their libraries: pip install 'newsbeam[report]'") from error
    from transforms.events.lexicon import default_event

    connection = catalog.connect(output)
    connection.execute("SET VARIABLE event = ?", [event or default_event()])
    relation = connection.sql(catalog.named_query(query))
    types = dict(zip(relation.columns, (str(t) for t in relation.types), strict=True))
    if "day" not in types:
        raise catalog.UsageError(f"{query!r} has no day column to chart; columns: {', '.join(types)}")
    numbers = [c for c, t in types.items() if t in ("BIGINT", "INTEGER", "DOUBLE", "HUGEINT", "FLOAT")]
    texts = [c for c, t in types.items() if t == "VARCHAR"]
    if not numbers:
        raise catalog.UsageError(f"{query!r} has no number to chart")
    rows = _plain([dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()])
    rows = [r for r in rows if r["day"]]
    encoding = {"x": alt.X("yearmonthdate(day):T", title="day", axis=alt.Axis(format="%d %b")),
                "y": alt.Y(f"sum({numbers[0]}):Q", title=numbers[0])}
    if texts:
        encoding["color"] = alt.Color(f"{texts[0]}:N")
    spec = alt.Chart(alt.Data(values=rows)).mark_bar(size=10).encode(**encoding).properties(
        width=WIDTH, height=240, title=f"{query} ({len(rows)} dated rows)").to_dict()
    if to.endswith(".png"):
        data = vl_convert.vegalite_to_png(spec, scale=2)
        mode = "wb"
    elif to.endswith(".svg") or to.endswith(".html"):
        data = vl_convert.vegalite_to_svg(spec)
        if to.endswith(".html"):
            data = f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(query)}</title></head>" \
                   f"<body>{data}</body></html>"
        mode = "w"
    else:
        raise catalog.UsageError("--to must end in .png, .svg or .html")
    with open(to + ".tmp", mode) as handle:
        handle.write(data)
    os.replace(to + ".tmp", to)
    return to
