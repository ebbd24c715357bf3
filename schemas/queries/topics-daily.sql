-- Articles per IPTC subject and publication day (level 1: politics, sport, ...), with the subject's mean
-- score; `SET VARIABLE topic_level = 2` counts the narrower topics under them instead.
SELECT
    published_date AS day,
    topic,
    code,
    count(DISTINCT article_id) AS articles,
    round(avg(score), 3) AS mean_score
FROM topics
WHERE level = coalesce(getvariable('topic_level'), 1)
GROUP BY ALL
ORDER BY day NULLS LAST, articles DESC, topic
