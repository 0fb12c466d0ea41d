/** One configuration's replicas over time: `tMs` from its run's start. */
export interface ReplicaSeries {
  readonly name: string;
  readonly points: readonly { readonly tMs: number; readonly replicas: number }[];
}

export interface ReplicasSvgOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
}

/**
 * Replicas over time as a plain SVG document: one polyline per series with a vertex per sample
 * (samples a second apart make the segments between them as good as steps), time in minutes on x,
 * replicas on y, a legend. No library: the
 * picture is a few dozen lines of markup that any browser or GitHub renders.
 */
export function renderReplicasSvg(
  series: readonly ReplicaSeries[],
  options: ReplicasSvgOptions = {},
): string {
  const width = options.width ?? 900;
  const height = options.height ?? 420;
  const plot = { left: 60, right: width - 180, top: 40, bottom: height - 50 };
  const maxT = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.tMs)));
  const maxR = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.replicas)));
  const x = (tMs: number) => _round(plot.left + (tMs / maxT) * (plot.right - plot.left));
  const y = (r: number) => _round(plot.bottom - (r / maxR) * (plot.bottom - plot.top));

  const title = _escape(options.title ?? 'Browser node replicas over time');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    // The picture's text alternative (a screen reader's, and what biome's a11y lint requires).
    `<title>${title}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${title}</text>`,
    `<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}" stroke="black"/>`,
    `<line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.bottom}" stroke="black"/>`,
  ];
  for (const r of _ticks(maxR)) {
    parts.push(
      `<line x1="${plot.left - 4}" y1="${y(r)}" x2="${plot.right}" y2="${y(r)}" stroke="#ddd"/>`,
      `<text x="${plot.left - 8}" y="${y(r) + 4}" text-anchor="end">${r}</text>`,
    );
  }
  for (const minutes of _ticks(maxT / 60_000)) {
    parts.push(
      `<text x="${x(minutes * 60_000)}" y="${plot.bottom + 16}" text-anchor="middle">${minutes}</text>`,
    );
  }
  parts.push(
    `<text x="${(plot.left + plot.right) / 2}" y="${height - 12}" text-anchor="middle">time since the run started (min)</text>`,
    `<text x="16" y="${(plot.top + plot.bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(plot.top + plot.bottom) / 2})">replicas</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = s.points.map((p) => `${x(p.tMs)},${y(p.replicas)}`).join(' ');
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"><title>${_escape(s.name)}</title></polyline>`,
      `<line x1="${plot.right + 20}" y1="${plot.top + 8 + i * 20}" x2="${plot.right + 44}" y2="${plot.top + 8 + i * 20}" stroke="${color}" stroke-width="3"/>`,
      `<text x="${plot.right + 50}" y="${plot.top + 12 + i * 20}">${_escape(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

// --- internal ---

// Okabe-Ito: told apart with any colour vision.
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

function _round(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Up to ~6 whole-number ticks from 0 to max. */
function _ticks(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / 5));
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);
  return ticks;
}

function _escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
