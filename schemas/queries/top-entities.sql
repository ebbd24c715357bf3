-- The 25 most mentioned entities of the whole run, with how many articles and days name them.
SELECT
    canonical,
    label,
    count(*) AS mentions,
    count(DISTINCT article_id) AS articles,
    count(DISTINCT published_date) AS days,
    min(published_date) AS first_day,
    max(published_date) AS last_day
FROM entities
GROUP BY canonical, label
ORDER BY mentions DESC, articles DESC, canonical
LIMIT 25
