export * from './types';
export { decide, contactEventsFor, pruneHistory, mergeHistory, normalizePhone, BASELINE_RANKER } from './engine';
export { loadContactPolicy, DEFAULT_CONTACT_POLICY, contactPolicySchema, isValidTimeZone, type ContactPolicy, type SegmentPolicy } from './policy';
export { segmentFor } from './segments';
export { STATE_TIMEZONES, resolveZones, sendWindow, zonedTimeToUtc, formatInZone, localHHMM, offsetMinutes, type ResolvedZones, type SendWindow } from './timezones';
export { describeReason } from './reasons';
