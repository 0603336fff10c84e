-- Champion (learned) vs challenger (holdout), the arm of the run's decision: accounts sent an email/SMS, and of them those who clicked or replied (STOP is not a response).
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt),
contacted AS (
  SELECT s.accountId AS account_id, min(d.arm) AS arm
  FROM sends s CROSS JOIN p
  LEFT JOIN decisions d ON d.accountId = s.accountId AND d.dt = s.dt
  WHERE s.status = 'sent' AND s.dt BETWEEN p.from_dt AND p.to_dt
  GROUP BY s.accountId
),
resp AS (
  SELECT DISTINCT e.accountId AS account_id
  FROM engagement_events e CROSS JOIN p
  WHERE e.type IN ('click', 'reply') AND e.dt BETWEEN p.from_dt AND p.to_dt
)
SELECT coalesce(c.arm, 'none') AS arm, count(*) AS trials, count(resp.account_id) AS successes
FROM contacted c LEFT JOIN resp ON resp.account_id = c.account_id
GROUP BY coalesce(c.arm, 'none')
ORDER BY arm
