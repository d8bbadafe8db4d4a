// Trends board: tags ranked over a recent window, refreshed whenever minutes close, with flag
// badges that appear the moment a flag is pushed.
import { apiGet } from './api.js';
import { sparkline } from './charts.js';
import { fmtNumber, fmtPercent, fmtTime, h, replace, tagHref } from './dom.js';

const RANKINGS = [
  ['velocity', 'Velocity'],
  ['zscore', 'Z-score'],
  ['authors', 'Unique authors'],
  ['coordination', 'Coordination'],
];
const WINDOWS = [5, 15, 60, 240];

export function badge(flag) {
  return h(
    'span',
    { class: `badge badge-${flag.kind}`, dataset: { testid: 'flag-badge', kind: flag.kind, flagId: flag.flagId }, title: `${flag.kind} flag, score ${fmtNumber(flag.score)}` },
    `${flag.kind} ${fmtNumber(flag.score)}`,
  );
}

/**
 * @param {HTMLElement} root
 * @param {{ live: import('./api.js').LiveClient, params: URLSearchParams, report: (err: unknown) => void, setWatermark: (iso: string | null) => void }} ctx
 */
export function boardView(root, ctx) {
  const rank = RANKINGS.some(([r]) => r === ctx.params.get('rank')) ? ctx.params.get('rank') : 'velocity';
  const windowMinutes = WINDOWS.includes(Number(ctx.params.get('window'))) ? Number(ctx.params.get('window')) : 15;
  /** @type {Map<string, { row: HTMLElement, cells: Record<string, HTMLElement>, chart: any, badges: HTMLElement, flags: Set<string> }>} */
  const rows = new Map();
  let inFlight = false;
  let again = false;
  let disposed = false;
  const state = h('p', { class: 'muted', dataset: { testid: 'board-state' } }, 'Loading trends…');
  const recent = h('ul', { class: 'recent-flags', dataset: { testid: 'recent-flags' } });
  /** @type {Map<string, HTMLElement>} */
  const recentIds = new Map();
  const body = h('tbody', { dataset: { testid: 'board-body' } });
  const table = h(
    'table',
    { class: 'board', hidden: true },
    h('thead', null, h('tr', null, ['#', 'Tag', 'Last 15 min', 'Posts/min', 'Posts', 'Authors', 'Young accts', 'Velocity', 'Z', 'Coord.', 'Flags'].map((label, i) => h('th', { class: i >= 3 && i <= 9 ? 'num' : undefined }, i === 2 ? `Last ${windowMinutes} min` : label)))),
    body,
  );
  const link = (r, w) => `#/?rank=${r}&window=${w}`;
  replace(
    root,
    h(
      'section',
      { class: 'toolbar' },
      h('h1', null, 'Trends'),
      h('div', { class: 'switch', role: 'group', 'aria-label': 'Rank by' }, RANKINGS.map(([r, label]) => h('a', { href: link(r, windowMinutes), class: r === rank ? 'on' : undefined, dataset: { rank: r } }, label))),
      h('div', { class: 'switch', role: 'group', 'aria-label': 'Window' }, WINDOWS.map((w) => h('a', { href: link(rank, w), class: w === windowMinutes ? 'on' : undefined }, w < 60 ? `${w} min` : `${w / 60} h`))),
    ),
    h('section', { class: 'recent' }, h('h2', null, 'Just flagged'), recent),
    state,
    table,
  );

  /** Newest first; a pushed flag goes on top at once, whatever the tag's rank. */
  function showRecent(flag, atTop) {
    // A newer revision of a shown flag replaces it (its score and summary change as it grows).
    const shown = recentIds.get(flag.flagId);
    if (shown !== undefined && !atTop) return;
    shown?.remove();
    const item = h(
      'li',
      { dataset: { testid: 'recent-flag', tag: flag.tag, flagId: flag.flagId } },
      badge(flag),
      ' ',
      h('a', { href: tagHref(flag.tag) }, `#${flag.tag}`),
      ' ',
      h('span', { class: 'muted' }, fmtTime(flag.detectedAt)),
      ' ',
      h('span', { class: 'summary' }, flag.summary),
    );
    recentIds.set(flag.flagId, item);
    if (atTop) recent.prepend(item);
    else recent.append(item);
    while (recent.children.length > 5) {
      const last = recent.lastElementChild;
      if (last instanceof HTMLElement && last.dataset.flagId) recentIds.delete(last.dataset.flagId);
      last?.remove();
    }
  }
  apiGet('flags', { limit: 5 })
    .then((page) => {
      if (disposed) return;
      for (const flag of page.flags) showRecent(flag, false);
      if (page.flags.length === 0 && recent.children.length === 0) recent.append(h('li', { class: 'muted', dataset: { testid: 'no-flags' } }, 'No flag yet.'));
    })
    .catch((err) => ctx.report(err));

  async function refresh() {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const top = await apiGet('tags/top', { rank, window: windowMinutes, limit: 30 });
      if (disposed) return;
      ctx.setWatermark(top.at);
      render(top);
    } catch (err) {
      if (!disposed) {
        state.textContent = 'Could not load trends.';
        state.hidden = false;
        ctx.report(err);
      }
    } finally {
      inFlight = false;
      if (again && !disposed) {
        again = false;
        void refresh();
      }
    }
  }

  function render(top) {
    if (top.tags.length === 0) {
      state.textContent = top.at === null ? 'No data yet: waiting for the first minute to close.' : `No tag active in the ${windowMinutes} minutes before ${fmtTime(top.at)}.`;
      state.hidden = false;
      table.hidden = true;
      return;
    }
    state.hidden = true;
    table.hidden = false;
    const seen = new Set();
    top.tags.forEach((t, i) => {
      seen.add(t.tag);
      let entry = rows.get(t.tag);
      if (entry === undefined) entry = createRow(t.tag);
      const c = entry.cells;
      c.rank.textContent = String(i + 1);
      c.ppm.textContent = fmtNumber(t.postsPerMin);
      c.posts.textContent = fmtNumber(t.posts);
      c.authors.textContent = fmtNumber(t.uniqueAuthors);
      c.young.textContent = fmtPercent(t.youngShare);
      c.velocity.textContent = fmtNumber(t.velocity);
      c.z.textContent = fmtNumber(t.zscore);
      c.coord.textContent = t.coordinationScore > 0 ? fmtNumber(t.coordinationScore) : '–';
      entry.chart.setData([t.sparkline.map((_, k) => k), t.sparkline]);
      c.spark.dataset.points = String(t.sparkline.filter((v) => v > 0).length);
      for (const flag of t.openFlags) addBadge(entry, flag);
      body.append(entry.row);
    });
    for (const [tag, entry] of rows) {
      if (seen.has(tag)) continue;
      entry.chart.destroy();
      entry.row.remove();
      rows.delete(tag);
    }
  }

  function createRow(tag) {
    const cell = (cls) => h('td', { class: cls });
    const cells = {
      rank: cell('num rank'),
      tag: h('td', { class: 'tag' }, h('a', { href: tagHref(tag), dataset: { testid: 'tag-link' } }, `#${tag}`)),
      spark: h('div', { class: 'spark', dataset: { testid: 'sparkline' } }),
      ppm: cell('num'),
      posts: cell('num'),
      authors: cell('num'),
      young: cell('num'),
      velocity: cell('num'),
      z: cell('num'),
      coord: cell('num'),
    };
    const badges = h('td', { class: 'badges' });
    const row = h('tr', { dataset: { testid: 'board-row', tag } }, cells.rank, cells.tag, h('td', null, cells.spark), cells.ppm, cells.posts, cells.authors, cells.young, cells.velocity, cells.z, cells.coord, badges);
    const chart = sparkline(cells.spark, []);
    const entry = { row, cells, chart, badges, flags: new Set() };
    rows.set(tag, entry);
    return entry;
  }

  function addBadge(entry, flag) {
    if (entry.flags.has(flag.flagId)) return false;
    entry.flags.add(flag.flagId);
    entry.badges.append(badge(flag));
    entry.row.classList.add('flagged');
    return true;
  }

  const offMinutes = ctx.live.on('minutes', () => void refresh());
  const offFlag = ctx.live.on('flag', (flag) => {
    recent.querySelector('[data-testid="no-flags"]')?.remove();
    showRecent(flag, true);
    const entry = rows.get(flag.tag);
    if (entry !== undefined && addBadge(entry, flag)) {
      entry.row.classList.remove('flash');
      void entry.row.offsetWidth;
      entry.row.classList.add('flash');
    }
    void refresh();
  });
  const offReady = ctx.live.on('ready', () => void refresh());
  void refresh();

  return () => {
    disposed = true;
    offMinutes();
    offFlag();
    offReady();
    for (const entry of rows.values()) entry.chart.destroy();
  };
}
