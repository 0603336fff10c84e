-- Cure rate over the period: accounts past due on the first run, cured when the amount past due is 0
-- after the last run's file and the payments processed after it; by segment of the first day's
-- action (not_contacted_day1 otherwise) and champion/challenger arm.
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt),
span AS (SELECT min(s.dt) AS first_dt, max(s.dt) AS last_dt FROM scores s CROSS JOIN p WHERE s.dt BETWEEN p.from_dt AND p.to_dt),
base AS (SELECT s.accountId AS account_id, s.amountPastDueCents AS due FROM scores s JOIN span ON s.dt = span.first_dt WHERE s.amountPastDueCents > 0),
fin AS (SELECT s.accountId AS account_id, s.amountPastDueCents AS due FROM scores s JOIN span ON s.dt = span.last_dt),
late AS (
  SELECT e.accountId AS account_id, sum(e.amountCents) AS paid
  FROM engagement_events e JOIN span ON e.dt >= span.last_dt
  WHERE e.type = 'payment' AND e.processedAtMs >= (date_diff('day', DATE '1970-01-01', CAST(span.last_dt AS date)) + 1) * 86400000
  GROUP BY e.accountId
),
seg AS (SELECT a.accountId AS account_id, min(a.segment) AS segment FROM actions a JOIN span ON a.dt = span.first_dt GROUP BY a.accountId),
arm AS (SELECT d.accountId AS account_id, d.arm AS arm FROM decisions d JOIN span ON d.dt = span.first_dt)
SELECT coalesce(seg.segment, 'not_contacted_day1') AS segment, coalesce(arm.arm, 'none') AS arm, count(*) AS accounts,
  count_if(greatest(0, coalesce(fin.due, base.due) - coalesce(late.paid, 0)) = 0) AS cured
FROM base
LEFT JOIN fin ON fin.account_id = base.account_id
LEFT JOIN late ON late.account_id = base.account_id
LEFT JOIN seg ON seg.account_id = base.account_id
LEFT JOIN arm ON arm.account_id = base.account_id
GROUP BY coalesce(seg.segment, 'not_contacted_day1'), coalesce(arm.arm, 'none')
ORDER BY segment, arm
