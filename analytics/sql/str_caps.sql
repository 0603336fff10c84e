-- Headroom under the caps: the most calls (Reg F: 7 in 7 days) and, in Massachusetts, calls + texts (2 in 7 days)
-- planned for one account in any 7 consecutive days ending in the period; accounts at and over each cap.
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt),
contacts AS (
  SELECT a.accountId AS account_id, a.dt AS dt, a.channel AS channel
  FROM actions a CROSS JOIN p
  WHERE a.channel IN ('voice', 'sms') AND a.dt <= p.to_dt
    AND date_diff('day', CAST(a.dt AS date), CAST(p.from_dt AS date)) <= 6
),
ma AS (SELECT DISTINCT s.accountId AS account_id FROM scores s CROSS JOIN p WHERE s.state = 'MA' AND s.dt BETWEEN p.from_dt AND p.to_dt),
windows AS (
  SELECT x.account_id AS account_id, x.dt AS dt,
    count_if(y.channel = 'voice') AS calls,
    count(*) AS calls_and_texts
  FROM contacts x CROSS JOIN p
  JOIN contacts y ON y.account_id = x.account_id AND date_diff('day', CAST(y.dt AS date), CAST(x.dt AS date)) BETWEEN 0 AND 6
  WHERE x.dt >= p.from_dt
  GROUP BY x.account_id, x.dt
)
SELECT
  coalesce(max(w.calls), 0) AS max_calls_7d,
  count(DISTINCT CASE WHEN w.calls = 7 THEN w.account_id END) AS accounts_at_regf_cap,
  count(DISTINCT CASE WHEN w.calls > 7 THEN w.account_id END) AS accounts_over_regf_cap,
  coalesce(max(CASE WHEN ma.account_id IS NOT NULL THEN w.calls_and_texts END), 0) AS max_ma_contacts_7d,
  count(DISTINCT CASE WHEN ma.account_id IS NOT NULL AND w.calls_and_texts = 2 THEN w.account_id END) AS accounts_at_ma_cap,
  count(DISTINCT CASE WHEN ma.account_id IS NOT NULL AND w.calls_and_texts > 2 THEN w.account_id END) AS accounts_over_ma_cap
FROM windows w LEFT JOIN ma ON ma.account_id = w.account_id
