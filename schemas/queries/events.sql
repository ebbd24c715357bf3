-- The events of the run, one row each:
-- its type, where it is (else who meets), the days it was reported, its mentions and articles, and
-- the latest status an article's lede reported. Events of the type `--event` gives (default:
-- data/events.toml); an event is its `event_id` in status_mentions.
SELECT
    s.event AS type,
    mode(coalesce(s.place, 'with ' || s.participants)) AS event,
    min(s.published_date) AS first_day,
    max(s.published_date) AS last_day,
    count(*) AS mentions,
    count(DISTINCT s.article_id) AS articles,
    arg_max(s.status, s.published_date) FILTER (WHERE s.lead AND s.published_date IS NOT NULL) AS latest_status,
    s.event_id
FROM status_mentions AS s
WHERE s.event_id IS NOT NULL AND s.event = getvariable('event')
GROUP BY s.event, s.event_id
ORDER BY articles DESC, first_day NULLS LAST, event
