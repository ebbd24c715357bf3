-- Articles per topic and publication day, with the topic's mean share of each article's matches.
SELECT
    published_date AS day,
    topic,
    count(DISTINCT article_id) AS articles,
    round(avg(score), 3) AS mean_score
FROM topics
GROUP BY ALL
ORDER BY day NULLS LAST, articles DESC, topic
