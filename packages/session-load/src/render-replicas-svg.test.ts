import { describe, expect, test } from 'vitest';
import { renderReplicasSvg } from './render-replicas-svg.ts';

describe('renderReplicasSvg', () => {
  const series = [
    {
      name: 'A docker-selenium',
      points: [0, 1, 2, 3, 2].map((replicas, i) => ({ tMs: i * 60_000, replicas })),
    },
    { name: 'E <ours>', points: [0, 4, 0].map((replicas, i) => ({ tMs: i * 120_000, replicas })) },
    { name: 'empty', points: [] },
  ];
  const svg = renderReplicasSvg(series, { width: 900, height: 420 });

  test('one polyline per series, with one point per sample', () => {
    const polylines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(polylines.map((p) => (p === '' ? 0 : p.split(' ').length))).toEqual([5, 3, 0]);
  });

  test('points are scaled into the plot: t=0 at the left axis, the peak at the top', () => {
    const first = svg.match(/<polyline [^>]*points="([^"]*)"/)?.[1]?.split(' ');
    // plot: x 60..720 over 0..4 min, y 370..40 over 0..4 replicas.
    expect(first).toEqual(['60,370', '225,287.5', '390,205', '555,122.5', '720,205']);
  });

  test('a legend entry per series, names escaped; axis labels', () => {
    expect(svg).toContain('>A docker-selenium</text>');
    expect(svg).toContain('>E &lt;ours&gt;</text>');
    expect(svg).toContain('>time since the run started (min)</text>');
    expect(svg).toContain('>replicas</text>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(/^<svg [^>]*>\n<title>[^<]+<\/title>\n/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
