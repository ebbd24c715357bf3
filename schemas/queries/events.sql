-- The events of the run, one row each, with their coverage: every sentence that names the event
-- (event_mentions, with a status or none) counts, not only those whose status the rules read.
-- Its type (the one `--event` gives), where it is (the place its mentions name most, else who meets,
-- else the headline of an article that reports it), the first and last day it was covered and on
-- how many days, its mentions and articles, its latest status (the status of the latest dated article
-- whose lede reports one of the `--event` type; undated, the status most such ledes report; else the
-- status of its other ledes, else of its status rows), and every place and leader its mentions name, most
-- named first. Events named at least once as the type `--event` gives (default: data/events.toml); an
-- event is its `event_id`: one summit whether its reports name the city, the country or the leaders, or
-- call it a meeting or talks (transforms/events/identity.py).
WITH events AS (
    SELECT DISTINCT event_id FROM event_mentions WHERE event = getvariable('event') AND event_id IS NOT NULL
),
coverage AS (
    SELECT m.* FROM event_mentions AS m JOIN events USING (event_id)
),
named AS (
    SELECT event_id, 'place' AS kind, place AS name, count(*) AS mentions
    FROM coverage WHERE place IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT event_id, 'participant', trim(p.name), count(*)
    FROM coverage, unnest(string_split(participants, ',')) AS p(name)
    WHERE participants IS NOT NULL AND trim(p.name) = lower(trim(p.name)) GROUP BY ALL
),
names AS (
    SELECT event_id,
           string_agg(name, ', ' ORDER BY mentions DESC, name) FILTER (WHERE kind = 'place') AS places,
           string_agg(name, ', ' ORDER BY mentions DESC, name) FILTER (WHERE kind = 'participant') AS participants
    FROM named GROUP BY event_id
),
-- an article's own status of the event is its lede's (lead) status row of the type; an event no lede
-- reports takes the status its other status rows give most
statuses AS (
    SELECT event_id,
           coalesce(arg_max(status, published_date) FILTER (WHERE lead AND published_date IS NOT NULL
                                                             AND event = getvariable('event')),
                    mode(status) FILTER (WHERE lead AND event = getvariable('event')),
                    mode(status) FILTER (WHERE lead), mode(status)) AS latest_status
    FROM status_mentions JOIN events USING (event_id)
    GROUP BY event_id
)
SELECT
    getvariable('event') AS type,
    coalesce(mode(c.place), 'with ' || mode(c.participants), 'in "' || min(a.title) || '"') AS event,
    min(c.published_date) AS first_day,
    max(c.published_date) AS last_day,
    count(DISTINCT c.published_date) AS days,
    count(*) AS mentions,
    count(DISTINCT c.article_id) AS articles,
    any_value(s.latest_status) AS latest_status,
    c.event_id,
    any_value(n.places) AS places,
    any_value(n.participants) AS participants
FROM coverage AS c
LEFT JOIN articles AS a USING (article_id)
LEFT JOIN statuses AS s USING (event_id)
LEFT JOIN names AS n USING (event_id)
GROUP BY c.event_id
ORDER BY articles DESC, mentions DESC, first_day NULLS LAST, event, c.event_id
