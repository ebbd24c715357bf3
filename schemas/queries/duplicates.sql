-- Duplicate groups: each canonical article with the copies that repeat it, largest groups first.
SELECT
    canonical.title AS canonical_title,
    canonical.article_id AS canonical_id,
    count(*) + 1 AS members,
    list(copy.source ORDER BY copy.source) AS copies,
    canonical.source AS canonical_source
FROM articles AS copy
JOIN articles AS canonical ON copy.duplicate_of = canonical.article_id
GROUP BY ALL
ORDER BY members DESC, canonical_id
