-- Cure rate by week and segment: accounts past due on the week's first run, cured when past due is 0 on its last run.
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt),
wk AS (
  SELECT s.dt AS dt, substr(CAST(date_trunc('week', CAST(s.dt AS date)) AS varchar), 1, 10) AS week
  FROM scores s CROSS JOIN p WHERE s.dt BETWEEN p.from_dt AND p.to_dt GROUP BY s.dt
),
span AS (SELECT week, min(dt) AS first_dt, max(dt) AS last_dt FROM wk GROUP BY week),
base AS (
  SELECT span.week AS week, s.accountId AS account_id
  FROM scores s JOIN span ON s.dt = span.first_dt WHERE s.amountPastDueCents > 0
),
fin AS (SELECT span.week AS week, s.accountId AS account_id, s.amountPastDueCents AS due FROM scores s JOIN span ON s.dt = span.last_dt),
seg AS (SELECT span.week AS week, d.accountId AS account_id, d.segment AS segment FROM decisions d JOIN span ON d.dt = span.first_dt)
SELECT base.week AS week, coalesce(seg.segment, 'unknown') AS segment, count(*) AS accounts, count_if(fin.due = 0) AS cured
FROM base
LEFT JOIN fin ON fin.week = base.week AND fin.account_id = base.account_id
LEFT JOIN seg ON seg.week = base.week AND seg.account_id = base.account_id
GROUP BY base.week, coalesce(seg.segment, 'unknown')
ORDER BY week, segment
