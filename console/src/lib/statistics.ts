/**
 * The statistics pages' logic: the ranges a person picks, the API's sparse series made into one point per bucket,
 * the chart's geometry, and numbers as a person reads them.
 */

export type Interval = 'hour' | 'day';

export interface Range {
  from: string;
  to: string;
  interval: Interval;
}

export interface Preset {
  id: string;
  label: string;
  interval: Interval;
  buckets: number;
}

/** The ranges offered, each ending with the current hour or day (as the API's default does). */
export const presets: Preset[] = [
  { id: '24h', label: 'Last 24 hours, by hour', interval: 'hour', buckets: 24 },
  { id: '7d-hour', label: 'Last 7 days, by hour', interval: 'hour', buckets: 7 * 24 },
  { id: '7d', label: 'Last 7 days, by day', interval: 'day', buckets: 7 },
  { id: '30d', label: 'Last 30 days, by day', interval: 'day', buckets: 30 },
  { id: '90d', label: 'Last 90 days, by day', interval: 'day', buckets: 90 },
  { id: '365d', label: 'Last 365 days, by day', interval: 'day', buckets: 365 },
];

export const defaultPreset = '7d';

/** What the API accepts at most, in buckets. */
export const maxBuckets: Record<Interval, number> = { hour: 31 * 24, day: 800 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function bucketMillis(interval: Interval): number {
  return interval === 'hour' ? HOUR : DAY;
}

/** The start of the bucket (UTC) an instant falls in. */
export function bucketStart(millis: number, interval: Interval): number {
  const size = bucketMillis(interval);
  return Math.floor(millis / size) * size;
}

/** A preset's range at `now`: its buckets up to and including the current one. */
export function presetRange(id: string, now: number = Date.now()): Range {
  const preset = presets.find((p) => p.id === id) ?? presets.find((p) => p.id === defaultPreset)!;
  const size = bucketMillis(preset.interval);
  const to = bucketStart(now, preset.interval) + size;
  const from = to - preset.buckets * size;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), interval: preset.interval };
}

/**
 * A range from two dates a person typed (`YYYY-MM-DD`, both days included, UTC), or the message saying why not.
 */
export function customRange(fromDate: string, toDate: string, interval: Interval): Range | { error: string } {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(fromDate) || Number.isNaN(Date.parse(fromDate + 'T00:00:00Z'))) {
    return { error: 'The first day must be a date such as 2026-01-31.' };
  }
  if (!day.test(toDate) || Number.isNaN(Date.parse(toDate + 'T00:00:00Z'))) {
    return { error: 'The last day must be a date such as 2026-01-31.' };
  }
  const from = Date.parse(fromDate + 'T00:00:00Z');
  const to = Date.parse(toDate + 'T00:00:00Z') + DAY;
  if (to <= from) {
    return { error: 'The last day must not be before the first.' };
  }
  const buckets = (to - from) / bucketMillis(interval);
  if (buckets > maxBuckets[interval]) {
    return { error: interval === 'hour' ? 'By hour, a range covers at most 31 days.'
      : 'By day, a range covers at most 800 days.' };
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), interval };
}

/** The range a page's query names (`range=7d`, or `from`, `to` and `interval`), the default one otherwise. */
export function rangeFromQuery(query: Record<string, unknown>, now: number = Date.now()):
  { range: Range; preset: string | null; error?: string } {
  const from = typeof query.from === 'string' ? query.from : '';
  const to = typeof query.to === 'string' ? query.to : '';
  if (from || to) {
    const interval: Interval = query.interval === 'hour' ? 'hour' : 'day';
    const custom = customRange(from, to, interval);
    if ('error' in custom) {
      return { range: presetRange(defaultPreset, now), preset: defaultPreset, error: custom.error };
    }
    return { range: custom, preset: null };
  }
  const id = typeof query.range === 'string' && presets.some((p) => p.id === query.range) ? query.range : defaultPreset;
  return { range: presetRange(id, now), preset: id };
}

export interface Point {
  bucket: string;
  /** the bar's whole height, e.g. every request */
  total: number;
  /** the part drawn darker, e.g. the hits; at most total */
  part: number;
}

/**
 * One point per bucket from `from` (its bucket included) to `to` (excluded): the API answers only the buckets
 * something happened in, and a chart with gaps closed up would lie about time.
 */
export function fillSeries<T extends { bucket: string }>(series: T[], range: Range,
  total: (row: T) => number, part: (row: T) => number): Point[] {
  const size = bucketMillis(range.interval);
  const start = bucketStart(Date.parse(range.from), range.interval);
  const end = Date.parse(range.to);
  const byBucket = new Map<number, T>();
  for (const row of series) {
    const at = bucketStart(Date.parse(row.bucket), range.interval);
    if (!Number.isNaN(at)) {
      byBucket.set(at, row);
    }
  }
  const points: Point[] = [];
  for (let at = start; at < end && points.length <= maxBuckets[range.interval]; at += size) {
    const row = byBucket.get(at);
    const t = row ? total(row) : 0;
    points.push({ bucket: new Date(at).toISOString(), total: t, part: row ? Math.min(part(row), t) : 0 });
  }
  return points;
}

/** The smallest of 1, 2, 5 times a power of ten (or 1) at or above `value`: the top of the value axis. */
export function niceMax(value: number): number {
  if (!(value > 0)) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * power) {
      return Math.max(1, step * power);
    }
  }
  return 10 * power;
}

export interface Bar {
  bucket: string;
  x: number;
  width: number;
  y: number;
  height: number;
  partY: number;
  partHeight: number;
  total: number;
  part: number;
}

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; top: number; width: number; height: number };
  max: number;
  bars: Bar[];
  ticks: { y: number; value: number }[];
  labels: { x: number; text: string }[];
}

export interface ChartSize {
  width: number;
  height: number;
  left: number;
  bottom: number;
  top: number;
  right: number;
}

const defaultSize: ChartSize = { width: 720, height: 240, left: 48, bottom: 28, top: 10, right: 8 };

/** Where the bars, the value axis' ticks and the time labels go in an SVG of `size` (in its own units). */
export function chartGeometry(points: Point[], interval: Interval, size: ChartSize = defaultSize): ChartGeometry {
  const plot = { left: size.left, top: size.top, width: size.width - size.left - size.right,
    height: size.height - size.top - size.bottom };
  const max = niceMax(Math.max(0, ...points.map((p) => p.total)));
  const slot = points.length ? plot.width / points.length : plot.width;
  const gap = slot > 4 ? Math.min(slot * 0.2, 6) : 0;
  const scale = (v: number) => (v / max) * plot.height;
  const bottom = plot.top + plot.height;
  const bars = points.map((p, i) => {
    const height = scale(p.total);
    const partHeight = scale(p.part);
    return { bucket: p.bucket, x: plot.left + i * slot + gap / 2, width: Math.max(slot - gap, 0.5),
      y: bottom - height, height, partY: bottom - partHeight, partHeight, total: p.total, part: p.part };
  });
  const ticks = [0, 0.5, 1].map((f) => ({ y: bottom - f * plot.height, value: max * f }))
    .filter((t, i) => i !== 1 || Number.isInteger(t.value));
  const every = Math.max(1, Math.ceil(points.length / 6));
  const labels = points.flatMap((p, i) => (i % every === 0
    ? [{ x: plot.left + i * slot + slot / 2, text: bucketLabel(p.bucket, interval, true) }] : []));
  return { width: size.width, height: size.height, plot, max, bars, ticks, labels };
}

/** A bucket as a person reads it: `2026-01-31`, or `2026-01-31 14:00` by hour (`01-31 14:00` when short). */
export function bucketLabel(iso: string, interval: Interval, short = false): string {
  const text = new Date(iso).toISOString();
  if (interval === 'day') {
    return short ? text.slice(5, 10) : text.slice(0, 10);
  }
  return (short ? text.slice(5, 10) : text.slice(0, 10)) + ' ' + text.slice(11, 16);
}

const grouped = new Intl.NumberFormat('en-US');

/** A count with thousands separated: `1,234,567`. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : grouped.format(value);
}

/** A count in few characters, for axes: `950`, `1.2k`, `35k`, `1.2M`. */
export function compact(value: number): string {
  const units = [{ at: 1e9, suffix: 'G' }, { at: 1e6, suffix: 'M' }, { at: 1e3, suffix: 'k' }];
  for (const { at, suffix } of units) {
    if (Math.abs(value) >= at) {
      const scaled = value / at;
      const text = Math.abs(scaled) < 10 ? scaled.toFixed(1).replace(/\.0$/, '') : String(Math.round(scaled));
      return text + suffix;
    }
  }
  return String(Math.round(value));
}

/** A ratio (0 to 1) as a percentage with one decimal, `—` when there is none (nothing to divide). */
export function percent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) {
    return '—';
  }
  const value = ratio * 100;
  return (value === 100 || value === 0 ? value.toFixed(0) : value.toFixed(1)) + '%';
}

/** A latency as the API gives it (an upper bound in ms; -1 is above 30 s). */
export function millis(value: number | null | undefined): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (value < 0) {
    return 'over 30 s';
  }
  if (value < 1000) {
    return `${value} ms`;
  }
  return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}

/** The share of `part` in `whole`, as {@link percent} shows it. */
export function share(part: number, whole: number): string {
  return whole > 0 ? percent(part / whole) : '—';
}
