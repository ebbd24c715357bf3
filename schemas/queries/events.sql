-- The events of the run, one row each:
-- its type, where it is (the place most of its reports name, else who meets), the days it was reported,
-- its mentions and articles, the latest status an article's lede reported, and every place and leader its
-- mentions name, most named first. Events of the type `--event` gives (default: data/events.toml); an
-- event is its `event_id` in status_mentions: one summit whether its reports name the city, the country or
-- the leaders (transforms/events/identity.py).
WITH named AS (
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
    s.event AS type,
    mode(coalesce(s.place, 'with ' || s.participants)) AS event,
    min(s.published_date) AS first_day,
    max(s.published_date) AS last_day,
    count(*) AS mentions,
    count(DISTINCT s.article_id) AS articles,
    arg_max(s.status, s.published_date) FILTER (WHERE s.lead AND s.published_date IS NOT NULL) AS latest_status,
    s.event_id,
    any_value(n.places) AS places,
    any_value(n.participants) AS participants
FROM status_mentions AS s
LEFT JOIN names AS n USING (event_id)
WHERE s.event_id IS NOT NULL AND s.event = getvariable('event')
GROUP BY s.event, s.event_id
ORDER BY articles DESC, first_day NULLS LAST, event, s.event_id
