-- Payments made in the period (business day of the payment).
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt)
SELECT count(*) AS payments, coalesce(sum(e.amountCents), 0) AS amount_cents, count(DISTINCT e.accountId) AS accounts
FROM engagement_events e CROSS JOIN p
WHERE e.type = 'payment' AND e.dt BETWEEN p.from_dt AND p.to_dt
