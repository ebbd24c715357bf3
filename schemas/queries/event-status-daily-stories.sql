-- Status reports of one event type (`--event`, default: data/events.toml) per day, counted three ways: sentences,
-- articles (a syndicated copy counts as an article of its own) and unique stories (copies and rewrites of one story count once).
SELECT
    s.published_date AS day,
    s.status,
    count(*) AS mentions,
    count(DISTINCT s.article_id) AS articles,
    count(DISTINCT a.story_id) AS stories
FROM status_mentions AS s
JOIN articles AS a USING (article_id)
WHERE s.event = getvariable('event')
GROUP BY ALL
ORDER BY day NULLS LAST, s.status
