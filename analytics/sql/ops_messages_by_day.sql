-- Messages by channel and day: every planned email/SMS action and what the send ledger says happened to it (no sends row: not dispatched); voice is planned (the dialer places the calls).
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt)
SELECT a.dt AS dt, a.channel AS channel,
  count(*) AS planned,
  count_if(s.status = 'sent') AS sent,
  count_if(s.status = 'suppressed') AS suppressed,
  count_if(s.status IS NULL OR s.status NOT IN ('sent', 'suppressed')) AS not_sent
FROM actions a CROSS JOIN p
LEFT JOIN sends s ON s.actionId = a.actionId AND s.dt = a.dt
WHERE a.dt BETWEEN p.from_dt AND p.to_dt AND a.channel <> 'voice'
GROUP BY a.dt, a.channel
UNION ALL
SELECT a.dt AS dt, a.channel AS channel, count(*) AS planned, 0 AS sent, 0 AS suppressed, 0 AS not_sent
FROM actions a CROSS JOIN p
WHERE a.dt BETWEEN p.from_dt AND p.to_dt AND a.channel = 'voice'
GROUP BY a.dt, a.channel
ORDER BY dt, channel
