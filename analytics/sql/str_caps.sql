-- Headroom under the caps: the most calls (Reg F: 7 in 7 days) and, in Massachusetts, calls + texts (2 in 7 days)
-- planned for one account in any 7 consecutive days ending in the period; accounts at and over each cap.
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt),
contacts AS (
  SELECT a.accountId AS account_id, a.dt AS dt, a.channel AS channel
  FROM actions a CROSS JOIN p
  WHERE a.channel IN ('voice', 'sms') AND a.dt <= p.to_dt
    AND date_diff('day', CAST(a.dt AS date), CAST(p.from_dt AS date)) <= 6
),
daily AS (
  SELECT account_id, dt, count_if(channel = 'voice') AS calls, count(*) AS calls_and_texts
  FROM contacts GROUP BY account_id, dt
),
ma AS (SELECT DISTINCT s.accountId AS account_id FROM scores s CROSS JOIN p WHERE s.state = 'MA' AND s.dt BETWEEN p.from_dt AND p.to_dt),
windows AS (
  SELECT x.account_id AS account_id, x.dt AS dt, sum(y.calls) AS calls, sum(y.calls_and_texts) AS calls_and_texts
  FROM daily x CROSS JOIN p
  JOIN daily y ON y.account_id = x.account_id AND date_diff('day', CAST(y.dt AS date), CAST(x.dt AS date)) BETWEEN 0 AND 6
  WHERE x.dt >= p.from_dt
  GROUP BY x.account_id, x.dt
),
per_account AS (
  SELECT w.account_id AS account_id, max(w.calls) AS calls, max(CASE WHEN ma.account_id IS NOT NULL THEN w.calls_and_texts END) AS ma_contacts
  FROM windows w LEFT JOIN ma ON ma.account_id = w.account_id
  GROUP BY w.account_id
)
SELECT
  coalesce(max(a.calls), 0) AS max_calls_7d,
  count_if(a.calls = 7) AS accounts_at_regf_cap,
  count_if(a.calls > 7) AS accounts_over_regf_cap,
  coalesce(max(a.ma_contacts), 0) AS max_ma_contacts_7d,
  count_if(a.ma_contacts = 2) AS accounts_at_ma_cap,
  count_if(a.ma_contacts > 2) AS accounts_over_ma_cap
FROM per_account a
