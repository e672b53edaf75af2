/**
 * Readers for the scalar values both export formats carry. Each returns a result or an
 * error sentence, so a parser can collect every problem of a record and skip it with one reason.
 */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/;
const WORDPRESS = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function utcInstant(parts: readonly string[], fraction = 0, offsetMinutes = 0): number | null {
  const [y, mo, d, h, mi, s] = parts.map(Number) as [number, number, number, number, number, number];
  const time = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2011-02-31 over into March; a real calendar date reads back unchanged.
  const back = new Date(time);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return null;
  }
  return time + fraction - offsetMinutes * 60_000;
}

/** ISO 8601 as Disqus writes it (`2013-10-11T06:51:33Z`); a missing zone is read as UTC. */
export function readIsoDate(text: string | undefined, field: string): FieldResult<string> {
  const value = (text ?? '').trim();
  if (!value) return { ok: false, reason: `${field} is missing` };
  const match = ISO.exec(value);
  if (!match) return { ok: false, reason: `${field} "${value}" is not an ISO 8601 date` };
  const zone = match[8] ?? 'Z';
  const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const fraction = match[7] ? Math.floor(Number(match[7]) * 1000) : 0;
  const time = utcInstant(match.slice(1, 7), fraction, offset);
  if (time === null) return { ok: false, reason: `${field} "${value}" is not a real date` };
  return { ok: true, value: new Date(time).toISOString() };
}

/**
 * WordPress's `YYYY-MM-DD HH:MM:SS`. `offsetMinutes` is the site's UTC offset for local
 * dates (0 for the `_gmt` fields). WordPress writes `0000-00-00 00:00:00` for "no date".
 */
export function readWordPressDate(text: string | undefined, field: string, offsetMinutes = 0): FieldResult<string> | null {
  const value = (text ?? '').trim();
  if (!value || value.startsWith('0000-00-00')) return null;
  const match = WORDPRESS.exec(value);
  const time = match ? utcInstant(match.slice(1, 7), 0, offsetMinutes) : null;
  if (time === null) return { ok: false, reason: `${field} "${value}" is not a date of the form YYYY-MM-DD HH:MM:SS` };
  return { ok: true, value: new Date(time).toISOString() };
}

/** Disqus booleans are the text `true` or `false`; a missing element means false. */
export function readBoolean(text: string | undefined, field: string): FieldResult<boolean> {
  const value = (text ?? '').trim();
  if (value === '' || value === 'false' || value === '0') return { ok: true, value: false };
  if (value === 'true' || value === '1') return { ok: true, value: true };
  return { ok: false, reason: `${field} "${value}" is not true or false` };
}

export function nonEmpty(text: string | undefined): string | undefined {
  const value = text?.trim();
  return value ? value : undefined;
}
