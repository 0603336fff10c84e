-- Messages by channel and day: email/SMS actions and what the send ledger says happened to them; voice is planned (the dialer places the calls).
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt)
SELECT s.dt AS dt, s.channel AS channel,
  count(*) AS planned,
  count_if(s.status = 'sent') AS sent,
  count_if(s.status = 'suppressed') AS suppressed,
  count_if(s.status NOT IN ('sent', 'suppressed')) AS not_sent
FROM sends s CROSS JOIN p
WHERE s.dt BETWEEN p.from_dt AND p.to_dt
GROUP BY s.dt, s.channel
UNION ALL
SELECT a.dt AS dt, a.channel AS channel, count(*) AS planned, 0 AS sent, 0 AS suppressed, 0 AS not_sent
FROM actions a CROSS JOIN p
WHERE a.dt BETWEEN p.from_dt AND p.to_dt AND a.channel = 'voice'
GROUP BY a.dt, a.channel
ORDER BY dt, channel
