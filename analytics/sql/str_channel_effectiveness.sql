-- Channel effectiveness over time: accounts sent a message per day and channel, and of them those who clicked or replied that business day.
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt),
resp AS (
  SELECT DISTINCT e.dt AS dt, e.accountId AS account_id, e.channel AS channel
  FROM engagement_events e CROSS JOIN p
  WHERE e.type IN ('click', 'reply') AND e.dt BETWEEN p.from_dt AND p.to_dt
)
SELECT s.dt AS dt, s.channel AS channel, count(DISTINCT s.accountId) AS contacted, count(DISTINCT resp.account_id) AS responded
FROM sends s
CROSS JOIN p
LEFT JOIN resp ON resp.account_id = s.accountId AND resp.channel = s.channel AND resp.dt = s.dt
WHERE s.status = 'sent' AND s.dt BETWEEN p.from_dt AND p.to_dt
GROUP BY s.dt, s.channel
ORDER BY dt, channel
