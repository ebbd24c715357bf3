-- Row counts of every output table: a first look at a run.
SELECT 'articles' AS "table", count(*) AS "rows" FROM articles
UNION ALL SELECT 'entities', count(*) FROM entities
UNION ALL SELECT 'topics', count(*) FROM topics
UNION ALL SELECT 'status_mentions', count(*) FROM status_mentions
UNION ALL SELECT 'dead_letter', count(*) FROM dead_letter
