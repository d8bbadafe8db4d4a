// Charts are uPlot (loaded as /vendor/uplot.js, global `uPlot`). Times arrive as epoch ms from
// the API; uPlot wants seconds.

const uPlot = /** @type {any} */ (globalThis).uPlot;

const COLORS = {
  posts: '#2563eb',
  authors: '#059669',
  velocity: '#7c3aed',
  band: 'rgba(124, 58, 237, 0.12)',
  baseline: 'rgba(124, 58, 237, 0.45)',
  burst: '#d97706',
  coordinated: '#dc2626',
  other: '#6b7280',
};

export function flagColor(kind) {
  return COLORS[kind] ?? COLORS.other;
}

/**
 * A tiny line chart without axes for a board row. The container gets `data-points` so tests and
 * people can tell an empty chart from one with data.
 * @param {HTMLElement} el @param {number[]} values posts per minute, oldest first
 */
export function sparkline(el, values) {
  const xs = values.map((_, i) => i);
  const chart = new uPlot(
    {
      width: 120,
      height: 28,
      pxAlign: false,
      cursor: { show: false },
      legend: { show: false },
      select: { show: false },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: COLORS.posts, width: 1.5, fill: 'rgba(37, 99, 235, 0.12)', points: { show: false } }],
    },
    [xs, values],
    el,
  );
  el.dataset.points = String(values.filter((v) => v > 0).length);
  return chart;
}

/** Vertical lines at flag times, colored by kind, drawn over the plot. */
function flagMarkers(getFlags) {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx } = u;
          const { top, height } = u.bbox;
          ctx.save();
          ctx.lineWidth = 2 * devicePixelRatio;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          for (const flag of getFlags()) {
            const x = u.valToPos(Date.parse(flag.detectedAt) / 1000, 'x', true);
            if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            ctx.strokeStyle = flagColor(flag.kind);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** Event time is UTC everywhere in tagwatch; charts must not shift it to the viewer's zone. */
const utc = (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');

/** Time axis labels in UTC, 24-hour clock; the date is shown when the range spans days. */
function timeAxis() {
  return {
    values: (u, splits) => {
      const span = (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0);
      return splits.map((s) => {
        const iso = new Date(s * 1000).toISOString();
        return span > 86_400 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
      });
    },
  };
}

/** The legend's time, in UTC like everything else. */
const timeLegend = { label: 'time (UTC)', value: (_u, v) => (v == null ? '–' : new Date(v * 1000).toISOString().slice(0, 16).replace('T', ' ')) };

function widthOf(el) {
  return Math.max(320, Math.floor(el.getBoundingClientRect().width || 800));
}

/**
 * Posts/min and unique authors per bucket, with flag markers.
 * @param {HTMLElement} el @param {any} series the API's series JSON
 */
export function activityChart(el, series) {
  const xs = series.t.map((t) => t / 1000);
  const chart = new uPlot(
    {
      width: widthOf(el),
      height: 220,
      tzDate: utc,
      plugins: [flagMarkers(() => series.flags)],
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.05)] } },
      axes: [timeAxis(), { label: series.resolution === 'hour' ? 'per hour' : 'per minute', size: 60 }],
      series: [
        timeLegend,
        { label: 'posts', stroke: COLORS.posts, width: 2, fill: 'rgba(37, 99, 235, 0.08)' },
        { label: 'unique authors', stroke: COLORS.authors, width: 2 },
      ],
    },
    [xs, series.posts, series.uniqueAuthors],
    el,
  );
  el.dataset.points = String(series.posts.filter((v) => v > 0).length);
  return chart;
}

/**
 * Velocity (EWMA posts/min) against its baseline: a band of mean ± 2 standard deviations.
 * @param {HTMLElement} el @param {any} series
 */
export function velocityChart(el, series) {
  const xs = series.t.map((t) => t / 1000);
  const upper = series.baselineMean.map((m, i) => (m === null ? null : m + 2 * (series.baselineStd[i] ?? 0)));
  const lower = series.baselineMean.map((m, i) => (m === null ? null : Math.max(0, m - 2 * (series.baselineStd[i] ?? 0))));
  const chart = new uPlot(
    {
      width: widthOf(el),
      height: 220,
      tzDate: utc,
      plugins: [flagMarkers(() => series.flags)],
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 1) * 1.05)] } },
      axes: [timeAxis(), { label: 'posts/min (EWMA)', size: 60 }],
      bands: [{ series: [3, 4], fill: COLORS.band }],
      series: [
        timeLegend,
        // No row is emitted for a silent minute: leave the gap rather than draw a line through it.
        { label: 'velocity', stroke: COLORS.velocity, width: 2, spanGaps: false },
        { label: 'baseline', stroke: COLORS.baseline, width: 1, dash: [4, 4], spanGaps: true },
        { label: 'baseline +2σ', stroke: 'transparent', spanGaps: true, points: { show: false } },
        { label: 'baseline −2σ', stroke: 'transparent', spanGaps: true, points: { show: false } },
      ],
    },
    [xs, series.velocity, series.baselineMean, upper, lower],
    el,
  );
  el.dataset.points = String(series.velocity.filter((v) => v !== null && v > 0).length);
  return chart;
}

/** Keeps charts as wide as their container. */
export function fitOnResize(charts, el) {
  const observer = new ResizeObserver(() => {
    for (const chart of charts) chart.setSize({ width: widthOf(el), height: chart.height });
  });
  observer.observe(el);
  return () => observer.disconnect();
}
