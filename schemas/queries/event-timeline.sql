-- Each event's timeline by day: the status its articles report, in articles and stories, and the days it
-- was covered with no status read. Events named at least once as the type `--event` gives (default:
-- data/events.toml); an article's status is what its headline and lede report (`lead` mentions of the
-- type: its own news, not the background it recounts); an article that names the event (event_mentions)
-- with no such status is counted under a NULL status, so a day's rows add up to the event's coverage.
-- Stories count copies and rewrites of one story once. Beside each day: the event's first report and its
-- latest status with the day that status began, e.g. planned -> postponed -> cancelled. An event is its
-- `event_id` (one summit whether its reports name the city, the country or the leaders); `event` is the
-- place its mentions name most, else who meets, else the headline of an article that reports it, and
-- `places` and `participants` every place and the leaders its mentions name, most named first. Articles with no date are shown under a NULL day.
WITH coverage AS (
    SELECT m.* FROM event_mentions AS m
    WHERE m.event_id IN (SELECT event_id FROM event_mentions WHERE event = getvariable('event'))
),
leads AS (
    SELECT event_id, article_id, status FROM status_mentions
    WHERE lead AND event_id IS NOT NULL AND event = getvariable('event')
),
reports AS (
    SELECT DISTINCT c.event_id, c.published_date AS day, l.status, c.article_id, a.story_id
    FROM coverage AS c
    JOIN articles AS a USING (article_id)
    LEFT JOIN leads AS l USING (event_id, article_id)
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
    WHERE day IS NOT NULL AND status IS NOT NULL
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
    SELECT event_id, coalesce(mode(c.place), 'with ' || mode(c.participants), 'in "' || min(a.title) || '"') AS place,
           min(c.published_date) AS first_report
    FROM coverage AS c
    LEFT JOIN articles AS a USING (article_id)
    GROUP BY event_id
),
-- every mention of the event, not only the leads, names its places and who meets
named AS (
    SELECT event_id, 'place' AS kind, place AS name, count(*) AS mentions
    FROM coverage WHERE place IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT event_id, 'participant', trim(p.name), count(*)
    FROM coverage, unnest(string_split(participants, ',')) AS p(name)
    WHERE participants IS NOT NULL AND trim(p.name) = lower(trim(p.name)) GROUP BY ALL
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
ORDER BY e.first_report NULLS LAST, event, d.event_id, d.day NULLS LAST, d.status NULLS LAST
