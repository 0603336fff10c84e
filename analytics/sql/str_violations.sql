-- Compliance violations, which must all be 0: planned outside 08:00–21:00 local (sendAt carries the account's offset),
-- sent after the account's channel was suppressed by a processed opt-out / hard bounce / complaint,
-- planned by a run on a later day than that suppression.
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt),
sup AS (
  SELECT e.accountId AS account_id, e.channel AS channel, min(e.processedAtMs) AS at_ms
  FROM engagement_events e
  WHERE e.suppressing
  GROUP BY e.accountId, e.channel
),
outside AS (
  SELECT count(*) AS n FROM actions a CROSS JOIN p
  WHERE a.dt BETWEEN p.from_dt AND p.to_dt AND (substr(a.sendAt, 12, 5) < '08:00' OR substr(a.sendAt, 12, 5) >= '21:00')
),
aft AS (
  SELECT count_if(s.status = 'sent' AND s.completedAtMs > sup.at_ms) AS sent_after
  FROM sends s CROSS JOIN p
  JOIN sup ON sup.account_id = s.accountId AND sup.channel = s.channel
  WHERE s.dt BETWEEN p.from_dt AND p.to_dt
),
planned AS (
  SELECT count_if(date_diff('day', DATE '1970-01-01', CAST(a.dt AS date)) * 86400000 > sup.at_ms) AS planned_after
  FROM actions a CROSS JOIN p
  JOIN sup ON sup.account_id = a.accountId AND sup.channel = a.channel
  WHERE a.dt BETWEEN p.from_dt AND p.to_dt AND a.channel <> 'voice'
)
SELECT outside.n AS outside_contact_window_planned, coalesce(aft.sent_after, 0) AS sent_after_opt_out_bounce_complaint,
  coalesce(planned.planned_after, 0) AS planned_after_opt_out_bounce_complaint
FROM outside CROSS JOIN aft CROSS JOIN planned
