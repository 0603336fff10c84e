-- Rejected portfolio rows by run and reason.
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt)
SELECT r.dt AS dt, r.reason AS reason, count(*) AS rows_rejected
FROM rejects r CROSS JOIN p
WHERE r.dt BETWEEN p.from_dt AND p.to_dt
GROUP BY r.dt, r.reason
ORDER BY dt, rows_rejected DESC, reason
