-- Contacts suppressed by rule (one per account and run whose outreach a rule stopped).
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt)
SELECT d.suppressedBy AS rule, count(*) AS contacts
FROM decisions d CROSS JOIN p
WHERE d.suppressedBy IS NOT NULL AND d.dt BETWEEN p.from_dt AND p.to_dt
GROUP BY d.suppressedBy
ORDER BY contacts DESC, rule
