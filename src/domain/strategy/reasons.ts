/**
 * Decisions store compact reason codes (200k decisions a day go to S3 and DynamoDB); this turns
 * a code into the short human sentence shown to agents and auditors.
 */
const TEXT: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^segment:(\w+)\((.*)\)$/, (m) => `Placed in segment ${m[1]} (${m[2]}).`],
  [/^suppressed:do_not_contact$/, () => 'Consumer asked us to stop contacting them.'],
  [/^suppressed:in_dispute$/, () => 'Debt is disputed: collection outreach stopped.'],
  [/^suppressed:bankruptcy$/, () => 'Consumer is in bankruptcy: outreach stopped.'],
  [/^suppressed:promise_pending\(until=(.*)\)$/, (m) => `Promise to pay pending: outreach paused until ${m[1]}.`],
  [/^suppressed:nothing_past_due$/, () => 'Nothing is past due.'],
  [/^timezone:from_state\((\w+)=(.*)\)$/, (m) => `No timezone on file: using every zone of ${m[1]} (${m[2]}).`],
  [/^timezone:invalid_account_zone_fallback_state\((\w+)\)$/, (m) => `Timezone on file is not a valid IANA zone: using ${m[1]}'s zones.`],
  [/^timezone:unknown/, () => 'No usable timezone or state: cannot pick a convenient time.'],
  [/^send_window:empty\(preferred_hours\)$/, () => "The consumer's preferred hours share no time with the contact window."],
  [/^send_window:empty/, () => 'The possible time zones share no hour inside the contact window.'],
  [/^send_window:(\S+)-(\S+) (.*)$/, (m) => `Allowed send times today: ${m[1]}-${m[2]} ${m[3]} (convenient in every possible zone).`],
  [/^channel_excluded:(\w+):no_address$/, (m) => `No ${m[1]} address on file.`],
  [/^channel_excluded:(\w+):no_phone$/, (m) => `No phone number on file for ${m[1]}.`],
  [/^channel_excluded:(\w+):no_consent$/, (m) => `No consent for ${m[1]}.`],
  [/^channel_excluded:(\w+):opted_out$/, (m) => `The ${m[1]} address/number opted out or bounced.`],
  [/^cap:reg_f_conversation_(\d+)d\((\w+)\)$/, (m) => `Reg F: no call within ${m[1]} days after a phone conversation.`],
  [/^cap:reg_f_(\d+)_in_7\((\w+)\)$/, (m) => `Reg F: at most ${m[1]} call attempts in 7 days.`],
  [/^cap:state_(\w\w)_all_channels_(\d+)_in_7\((\w+)\)$/, (m) => `${m[1]} rule: at most ${m[2]} contacts (all channels) in 7 days; ${m[3]} not planned.`],
  [/^cap:state_(\w\w)_(\d+)_in_7\((\w+)\)$/, (m) => `${m[1]} rule: at most ${m[2]} calls and texts in 7 days; ${m[3]} not planned.`],
  [/^cap:(email|sms)_(\d+)_in_(\d+)\((\w+)\)$/, (m) => `At most ${m[2]} ${m[1]} messages in ${m[3]} days.`],
  [/^channel_skipped:(\w+):max_channels_per_day\((\d+)\)$/, (m) => `${m[1]} not used: segment allows ${m[2]} channel(s) a day.`],
  [/^ranker_error:(.*)\(baseline_used\)$/, (m) => `Channel ranker ${m[1]} failed: baseline order used.`],
  [/^ranker_ignored:(\w+):not_allowed$/, (m) => `Ranker proposed ${m[1]}, which is not allowed: ignored.`],
  [/^ranker:(.*)\((.*)\)$/, (m) => `Channel order by ${m[1]}: ${m[2]}.`],
  [/^language:(\w+)\(preference\)$/, (m) => `Language ${m[1]}, as the consumer asked.`],
  [/^preference:hours\((\S+)\)$/, (m) => `Consumer's preferred contact hours: ${m[1]} (local time).`],
  [/^preference:hours_ignored\(malformed\)$/, () => 'Preferred contact hours on file are malformed: ignored.'],
  [/^preference:channel\((\w+)\)$/, (m) => `Consumer prefers ${m[1]}: tried first.`],
  [/^preference:channel_unavailable\((\w+)\)$/, (m) => `Consumer prefers ${m[1]}, which is not allowed today.`],
  [/^language:(\w+)\(fallback_from=(.*)\)$/, (m) => `Language ${m[2]} not supported: using ${m[1]}.`],
  [/^language:(\w+)$/, (m) => `Language ${m[1]}.`],
  [/^channel:(\w+)\(rank=(\d+),ranker=(.*)\)$/, (m) => `Channel ${m[1]}, choice ${m[2]} (${m[3]}).`],
  [/^template:(.*)$/, (m) => `Template ${m[1]}.`],
  [/^send_time_adjusted:(\S+)->(\S+)\(window\)$/, (m) => `Preferred time ${m[1]} moved to ${m[2]} to stay inside the allowed window.`],
  [/^send_time:(\S+) (.*)$/, (m) => `Send at ${m[1]} ${m[2]}.`],
  [/^action:(\w+)@(\S+) (.*)$/, (m) => `Planned ${m[1]} at ${m[2]} ${m[3]}.`],
  [/^no_contact:(\w+)$/, (m) => `No contact today (${m[1]}).`],
];

/** Human text for a reason code; the code itself when unknown. */
export function describeReason(reason: string): string {
  for (const [re, text] of TEXT) {
    const m = reason.match(re);
    if (m) return text(m);
  }
  return reason;
}
