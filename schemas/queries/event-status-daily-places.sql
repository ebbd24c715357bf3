-- Status reports of one event type (`--event`, default: data/events.toml) per day and place, so that different
-- events are not mixed (one held in August in one city, another cancelled in October in another). Hedged reports are counted
-- apart: they say what may happen, not what happened.
SELECT
    published_date AS day,
    coalesce(place, '(not named)') AS place,
    status,
    count(*) FILTER (WHERE NOT hedged) AS mentions,
    count(*) FILTER (WHERE hedged) AS hedged,
    count(DISTINCT article_id) AS articles
FROM status_mentions
WHERE event = getvariable('event')
GROUP BY ALL
ORDER BY day NULLS LAST, place, status
