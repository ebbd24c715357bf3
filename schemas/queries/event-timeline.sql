-- Each event's timeline by day: the status its articles report, in articles and stories. Events are
-- of the type `--event` gives (default: data/events.toml); an article's status is what its headline and lede
-- report (`lead` mentions: its own news, not the background it recounts); stories count copies and
-- rewrites of one story once. Beside each day: the event's first report and its latest status with
-- the day that status began, e.g. planned -> postponed -> cancelled. An event is its `event_id` (one
-- summit whether its reports name the city, the country or the leaders); `event` is the place most of
-- its reports name, else who meets, and `places` and `participants` every place and the leaders its
-- mentions name, most named first. Articles with no date are shown under a NULL day.
WITH reports AS (
    SELECT s.event_id, coalesce(s.place, 'with ' || s.participants) AS place, s.published_date AS day, s.status, s.article_id, a.story_id
    FROM status_mentions AS s
    JOIN articles AS a USING (article_id)
    WHERE s.lead AND s.event_id IS NOT NULL AND s.event = getvariable('event')
),
daily AS (
    SELECT event_id, day, status, count(DISTINCT article_id) AS articles, count(DISTINCT story_id) AS stories
    FROM reports
    GROUP BY ALL
),
-- the status of each dated day: most stories, then most articles
day_status AS (
    SELECT event_id, day, arg_max(status, stories * 1000 + articles) AS status
    FROM daily
    WHERE day IS NOT NULL
    GROUP BY ALL
),
runs AS (
    SELECT *, status IS DISTINCT FROM lag(status) OVER (PARTITION BY event_id ORDER BY day) AS changed
    FROM day_status
),
latest AS (
    SELECT event_id, arg_max(status, day) AS latest_status, max(day) FILTER (WHERE changed) AS since
    FROM runs
    GROUP BY event_id
),
events AS (
    SELECT event_id, mode(place) AS place, min(day) AS first_report
    FROM reports
    GROUP BY event_id
),
-- every mention of the event, not only the leads, names its places and who meets
named AS (
    SELECT s.event_id, 'place' AS kind, s.place AS name, count(*) AS mentions
    FROM status_mentions AS s WHERE s.place IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT s.event_id, 'participant', trim(p.name), count(*)
    FROM status_mentions AS s, unnest(string_split(s.participants, ',')) AS p(name)
    WHERE s.participants IS NOT NULL AND trim(p.name) = lower(trim(p.name)) GROUP BY ALL
),
names AS (
    SELECT event_id,
           string_agg(name, ', ' ORDER BY mentions DESC, name) FILTER (WHERE kind = 'place') AS places,
           string_agg(name, ', ' ORDER BY mentions DESC, name) FILTER (WHERE kind = 'participant') AS participants
    FROM named GROUP BY event_id
)
SELECT
    e.place AS event,
    d.day,
    d.status,
    d.articles,
    d.stories,
    e.first_report,
    l.latest_status,
    l.since AS latest_since,
    n.places,
    n.participants,
    d.event_id
FROM daily AS d
JOIN events AS e USING (event_id)
LEFT JOIN latest AS l USING (event_id)
LEFT JOIN names AS n USING (event_id)
ORDER BY e.first_report NULLS LAST, event, d.event_id, d.day NULLS LAST, d.status
