-- Status reports of one event type (`--event`, default: data/events.toml) per publication day: how many
-- sentences reported each status, in how many articles. Hedged reports ("may be postponed") are counted too; filter on `hedged` to drop them.
-- Articles whose date is unknown are counted under a NULL day rather than guessed.
SELECT
    published_date AS day,
    status,
    count(*) AS mentions,
    count(DISTINCT article_id) AS articles
FROM status_mentions
WHERE event = getvariable('event')
GROUP BY ALL
ORDER BY day NULLS LAST, status
