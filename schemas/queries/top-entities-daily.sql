-- The ten most mentioned entities of each publication day, with how many articles name them.
SELECT day, canonical, label, mentions, articles
FROM (
    SELECT
        published_date AS day,
        canonical,
        label,
        count(*) AS mentions,
        count(DISTINCT article_id) AS articles,
        row_number() OVER (PARTITION BY published_date ORDER BY count(*) DESC, canonical) AS rank
    FROM entities
    GROUP BY published_date, canonical, label
)
WHERE rank <= 10
ORDER BY day NULLS LAST, mentions DESC, canonical
