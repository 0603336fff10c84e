/** Calendar days as the platform counts them: UTC `YYYY-MM-DD` strings (run dates, due dates, lake partitions). */
export const DAY_MS = 86_400_000;

/** `date` moved by `days` calendar days (negative goes back). */
export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The UTC calendar day of an instant. */
export const utcDate = (now: Date): string => now.toISOString().slice(0, 10);
