-- Every daily run of the period (the latest is the dashboard's run panel).
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt)
SELECT r.dt AS dt, r.status AS status, r.accounts AS accounts, r.scored AS scored, r.rejected AS rejected,
  r.contacted AS contacted, r.actionsEmail AS actions_email, r.actionsSms AS actions_sms, r.actionsVoice AS actions_voice,
  r.chunks AS chunks, r.failedChunks AS failed_chunks, r.failedChunksJson AS failed_chunks_json, r.errorName AS error_name
FROM run_summaries r CROSS JOIN p
WHERE r.dt BETWEEN p.from_dt AND p.to_dt
ORDER BY dt
