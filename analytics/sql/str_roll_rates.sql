-- Roll rates: delinquency bucket on the period's first run → bucket on its last run, accounts per pair.
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt),
span AS (SELECT min(s.dt) AS first_dt, max(s.dt) AS last_dt FROM scores s CROSS JOIN p WHERE s.dt BETWEEN p.from_dt AND p.to_dt),
b AS (
  SELECT s.dt AS dt, s.accountId AS account_id,
    CASE WHEN s.daysPastDue <= 0 OR s.amountPastDueCents = 0 THEN '0 current'
         WHEN s.daysPastDue <= 30 THEN '1-30'
         WHEN s.daysPastDue <= 60 THEN '31-60'
         WHEN s.daysPastDue <= 90 THEN '61-90'
         WHEN s.daysPastDue <= 120 THEN '91-120'
         ELSE '121+' END AS bucket
  FROM scores s JOIN span ON s.dt = span.first_dt OR s.dt = span.last_dt
)
SELECT f.bucket AS from_bucket, t.bucket AS to_bucket, count(*) AS accounts
FROM b f
JOIN span ON f.dt = span.first_dt
JOIN b t ON t.account_id = f.account_id AND t.dt = span.last_dt
GROUP BY f.bucket, t.bucket
ORDER BY from_bucket, to_bucket
