-- Calls the dialer reported (docs/dialer.md), by outcome: engagement_events rows of source 'dialer' (type call_<outcome>).
-- Counted by eventId (one per call attempt), so a results file applied twice counts once.
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt)
SELECT substr(e.type, 6) AS outcome, count(DISTINCT e.eventId) AS calls, count(DISTINCT e.accountId) AS accounts
FROM engagement_events e CROSS JOIN p
WHERE e.source = 'dialer' AND e.dt BETWEEN p.from_dt AND p.to_dt
GROUP BY substr(e.type, 6)
ORDER BY outcome
