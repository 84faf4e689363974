import { describe, expect, it } from 'vitest';
import {
  bucketLabel, chartGeometry, compact, count, customRange, fillSeries, millis, niceMax, percent, presetRange,
  rangeFromQuery, share,
} from '../../src/lib/statistics';

const NOW = Date.parse('2026-03-10T14:25:00Z');

describe('ranges', () => {
  it('ends a preset with the current hour and covers its buckets', () => {
    expect(presetRange('24h', NOW)).toEqual({ from: '2026-03-09T15:00:00.000Z', to: '2026-03-10T15:00:00.000Z',
      interval: 'hour' });
  });

  it('ends a preset by day with the current day (UTC)', () => {
    expect(presetRange('7d', NOW)).toEqual({ from: '2026-03-04T00:00:00.000Z', to: '2026-03-11T00:00:00.000Z',
      interval: 'day' });
    expect(presetRange('7d-hour', NOW).from).toBe('2026-03-03T15:00:00.000Z');
  });

  it('falls back to the last 7 days for an unknown preset', () => {
    expect(presetRange('forever', NOW)).toEqual(presetRange('7d', NOW));
  });

  it('includes both days a person picks', () => {
    expect(customRange('2026-02-01', '2026-02-03', 'day')).toEqual({ from: '2026-02-01T00:00:00.000Z',
      to: '2026-02-04T00:00:00.000Z', interval: 'day' });
    expect(customRange('2026-02-01', '2026-02-01', 'hour')).toEqual({ from: '2026-02-01T00:00:00.000Z',
      to: '2026-02-02T00:00:00.000Z', interval: 'hour' });
  });

  it('refuses a reversed range, a malformed date and more than the API keeps per request', () => {
    expect(customRange('2026-02-03', '2026-02-01', 'day')).toEqual({ error: 'The last day must not be before the first.' });
    expect(customRange('3 Feb', '2026-02-01', 'day')).toHaveProperty('error', expect.stringContaining('first day'));
    expect(customRange('2026-02-01', '2026-02-31x', 'day')).toHaveProperty('error', expect.stringContaining('last day'));
    expect(customRange('2026-01-01', '2026-01-31', 'hour')).not.toHaveProperty('error');
    expect(customRange('2024-01-01', '2026-03-10', 'day')).not.toHaveProperty('error');
    expect(customRange('2026-01-01', '2026-02-01', 'hour')).toHaveProperty('error', 'By hour, a range covers at most 31 days.');
    expect(customRange('2024-01-01', '2026-06-01', 'day')).toHaveProperty('error', 'By day, a range covers at most 800 days.');
  });

  it('reads the range from the page query, a preset by default', () => {
    expect(rangeFromQuery({}, NOW)).toEqual({ range: presetRange('7d', NOW), preset: '7d' });
    expect(rangeFromQuery({ range: '24h' }, NOW).range.interval).toBe('hour');
    expect(rangeFromQuery({ from: '2026-02-01', to: '2026-02-02', interval: 'hour' }, NOW))
      .toEqual({ range: customRange('2026-02-01', '2026-02-02', 'hour'), preset: null });
    const bad = rangeFromQuery({ from: '2026-02-05', to: '2026-02-01' }, NOW);
    expect(bad.error).toMatch(/before the first/);
    expect(bad.preset).toBe('7d');
  });
});

describe('series', () => {
  const range = { from: '2026-03-10T10:00:00Z', to: '2026-03-10T14:00:00Z', interval: 'hour' as const };

  it('gives every bucket of the range a point, zero where the API answered none', () => {
    const points = fillSeries([
      { bucket: '2026-03-10T11:00:00Z', requests: 5, hits: 3 },
      { bucket: '2026-03-10T13:00:00Z', requests: 2, hits: 0 },
    ], range, (r) => r.requests, (r) => r.hits);
    expect(points).toEqual([
      { bucket: '2026-03-10T10:00:00.000Z', total: 0, part: 0 },
      { bucket: '2026-03-10T11:00:00.000Z', total: 5, part: 3 },
      { bucket: '2026-03-10T12:00:00.000Z', total: 0, part: 0 },
      { bucket: '2026-03-10T13:00:00.000Z', total: 2, part: 0 },
    ]);
  });

  it('starts with the bucket `from` falls in and leaves out rows outside the range', () => {
    const points = fillSeries([{ bucket: '2026-03-09T00:00:00Z', n: 9 }, { bucket: '2026-03-10T00:00:00Z', n: 4 }],
      { from: '2026-03-10T06:30:00Z', to: '2026-03-12T00:00:00Z', interval: 'day' }, (r) => r.n, () => 0);
    expect(points.map((p) => [p.bucket.slice(0, 10), p.total])).toEqual([['2026-03-10', 4], ['2026-03-11', 0]]);
  });

  it('never draws a part above its total', () => {
    const [point] = fillSeries([{ bucket: '2026-03-10T10:00:00Z', a: 1, b: 4 }],
      { ...range, to: '2026-03-10T11:00:00Z' }, (r) => r.a, (r) => r.b);
    expect(point).toMatchObject({ total: 1, part: 1 });
  });
});

describe('chart geometry', () => {
  const size = { width: 120, height: 70, left: 20, right: 0, top: 10, bottom: 10 };

  it('rounds the value axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 180, 501].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 200, 1000]);
  });

  it('puts one bar per point side by side, heights in proportion to the axis maximum', () => {
    const g = chartGeometry([
      { bucket: '2026-03-10T00:00:00Z', total: 10, part: 5 },
      { bucket: '2026-03-11T00:00:00Z', total: 0, part: 0 },
      { bucket: '2026-03-12T00:00:00Z', total: 4, part: 4 },
      { bucket: '2026-03-13T00:00:00Z', total: 1, part: 0 },
    ], 'day', size);
    expect(g.max).toBe(10);
    expect(g.plot).toEqual({ left: 20, top: 10, width: 100, height: 50 });
    expect(g.bars.map((b) => b.x)).toEqual([22.5, 47.5, 72.5, 97.5]);
    expect(g.bars.every((b) => b.width === 20)).toBe(true);
    expect(g.bars[0]).toMatchObject({ y: 10, height: 50, partY: 35, partHeight: 25 });
    expect(g.bars[1]).toMatchObject({ y: 60, height: 0 });
    expect(g.bars[2].height).toBeCloseTo(20);
    expect(g.bars[2].partHeight).toBeCloseTo(20);
    expect(g.ticks).toEqual([{ y: 60, value: 0 }, { y: 35, value: 5 }, { y: 10, value: 10 }]);
    expect(g.labels.map((l) => l.text)).toEqual(['03-10', '03-11', '03-12', '03-13']);
  });

  it('keeps an empty range drawable and leaves out a half tick that is not a whole count', () => {
    const g = chartGeometry([{ bucket: '2026-03-10T00:00:00Z', total: 0, part: 0 }], 'day', size);
    expect(g.max).toBe(1);
    expect(g.bars[0].height).toBe(0);
    expect(g.ticks.map((t) => t.value)).toEqual([0, 1]);
  });

  it('labels at most about six buckets of a long range', () => {
    const points = Array.from({ length: 24 }, (_, i) => ({
      bucket: new Date(Date.parse('2026-03-10T00:00:00Z') + i * 3_600_000).toISOString(), total: i, part: 0 }));
    const g = chartGeometry(points, 'hour', size);
    expect(g.labels.map((l) => l.text)).toEqual(['03-10 00:00', '03-10 04:00', '03-10 08:00', '03-10 12:00',
      '03-10 16:00', '03-10 20:00']);
  });
});

describe('numbers', () => {
  it('groups thousands and shows a dash for nothing', () => {
    expect(count(1234567)).toBe('1,234,567');
    expect(count(0)).toBe('0');
    expect(count(null)).toBe('—');
  });

  it('shortens axis values', () => {
    expect([0, 950, 1000, 1250, 35_400, 1_200_000, 3e9].map(compact)).toEqual(['0', '950', '1k', '1.3k', '35k',
      '1.2M', '3G']);
  });

  it('shows ratios as percentages and nothing as a dash', () => {
    expect(percent(0.875)).toBe('87.5%');
    expect(percent(1)).toBe('100%');
    expect(percent(0)).toBe('0%');
    expect(percent(1 / 3)).toBe('33.3%');
    expect(percent(null)).toBe('—');
    expect(share(1, 4)).toBe('25.0%');
    expect(share(3, 0)).toBe('—');
  });

  it('shows latencies in ms or s, and the histogram’s overflow bucket in words', () => {
    expect(millis(5)).toBe('5 ms');
    expect(millis(2500)).toBe('2.50 s');
    expect(millis(30000)).toBe('30.0 s');
    expect(millis(-1)).toBe('over 30 s');
    expect(millis(null)).toBe('—');
  });

  it('labels buckets by day or hour in UTC', () => {
    expect(bucketLabel('2026-03-10T00:00:00Z', 'day')).toBe('2026-03-10');
    expect(bucketLabel('2026-03-10T14:00:00Z', 'hour')).toBe('2026-03-10 14:00');
    expect(bucketLabel('2026-03-10T14:00:00Z', 'hour', true)).toBe('03-10 14:00');
  });
});
