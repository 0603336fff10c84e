-- Per channel: messages sent, messages with a delivery/open/click event, inbound replies (STOP included), opt-outs, bounces, complaints.
WITH p AS (SELECT CAST(? AS varchar) AS from_dt, CAST(? AS varchar) AS to_dt),
sent AS (
  SELECT s.channel AS channel, count_if(s.status = 'sent') AS sent
  FROM sends s CROSS JOIN p
  WHERE s.dt BETWEEN p.from_dt AND p.to_dt
  GROUP BY s.channel
),
ev AS (
  SELECT e.channel AS channel,
    -- campaign messages only: opt-out confirmation texts (action ids optout#…) are not in `sent`
    count(DISTINCT CASE WHEN e.type = 'delivered' AND coalesce(e.actionId, '') NOT LIKE 'optout#%' THEN e.messageId END) AS delivered,
    count(DISTINCT CASE WHEN e.type = 'open' THEN e.messageId END) AS opened,
    count(DISTINCT CASE WHEN e.type = 'click' THEN e.messageId END) AS clicked,
    count_if(e.source LIKE 'sms-inbound%' AND e.type IN ('reply', 'opt_out')) AS replies,
    count_if(e.type = 'opt_out') AS opt_outs,
    count_if(e.type = 'bounce') AS bounces,
    count_if(e.type = 'bounce' AND e.suppressing) AS bounces_permanent,
    count_if(e.type = 'complaint') AS complaints
  FROM engagement_events e CROSS JOIN p
  WHERE e.dt BETWEEN p.from_dt AND p.to_dt AND e.type <> 'payment'
  GROUP BY e.channel
)
SELECT s.channel AS channel, s.sent AS sent,
  coalesce(ev.delivered, 0) AS delivered, coalesce(ev.opened, 0) AS opened, coalesce(ev.clicked, 0) AS clicked,
  coalesce(ev.replies, 0) AS replies, coalesce(ev.opt_outs, 0) AS opt_outs, coalesce(ev.bounces, 0) AS bounces,
  coalesce(ev.bounces_permanent, 0) AS bounces_permanent, coalesce(ev.complaints, 0) AS complaints
FROM sent s LEFT JOIN ev ON ev.channel = s.channel
ORDER BY channel
