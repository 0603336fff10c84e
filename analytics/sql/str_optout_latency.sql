-- Opt-out honoured latency: from the opt-out / hard bounce / complaint happening to our handler suppressing the address, seconds.
-- Email and SMS only: the dialer reports its calls in a daily file (its delay is the vendor's, not ours).
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt)
SELECT count(*) AS events,
  approx_percentile((e.processedAtMs - e.atMs) / 1000.0, 0.5) AS p50_seconds,
  approx_percentile((e.processedAtMs - e.atMs) / 1000.0, 0.99) AS p99_seconds,
  max((e.processedAtMs - e.atMs) / 1000.0) AS max_seconds
FROM engagement_events e CROSS JOIN p
WHERE e.suppressing AND e.channel <> 'voice' AND e.dt BETWEEN p.from_dt AND p.to_dt
