// Tag page: the tag's series with flag markers, its flags with evidence, first posters,
// co-occurring tags and cascades. Follows the live feed while showing the latest data.
import { apiGet } from './api.js';
import { activityChart, fitOnResize, velocityChart } from './charts.js';
import { badge } from './board.js';
import { fmtDuration, fmtNumber, fmtTime, h, replace, tagHref } from './dom.js';

/** Series reloads on closed minutes, at most once per this many ms (charts redraw fully). */
const SERIES_REFRESH_MS = 3_000;

/**
 * @param {HTMLElement} root
 * @param {string} tag
 * @param {{ live: import('./api.js').LiveClient, params: URLSearchParams, report: (err: unknown) => void, setWatermark: (iso: string | null) => void }} ctx
 */
export function tagView(root, tag, ctx) {
  const resolution = ctx.params.get('resolution') === 'hour' ? 'hour' : 'minute';
  const heading = h('h1', { dataset: { testid: 'tag-title' } }, `#${tag}`);
  const headerBadges = h('span', { class: 'badges' });
  const chartState = h('p', { class: 'muted', dataset: { testid: 'series-state' } }, 'Loading series…');
  const activityEl = h('div', { class: 'chart', dataset: { testid: 'chart-activity' } });
  const velocityEl = h('div', { class: 'chart', dataset: { testid: 'chart-velocity' } });
  const flagsEl = h('div', { dataset: { testid: 'flags' } }, h('p', { class: 'muted' }, 'Loading flags…'));
  const spreadEl = h('div', { class: 'spread', dataset: { testid: 'spread' } }, h('p', { class: 'muted' }, 'Loading spread figures…'));
  const link = (r) => `${tagHref(tag)}?resolution=${r}`;
  replace(
    root,
    h(
      'section',
      { class: 'toolbar' },
      h('a', { href: '#/', class: 'back' }, '← Trends'),
      heading,
      headerBadges,
      h('div', { class: 'switch', role: 'group', 'aria-label': 'Resolution' }, [
        h('a', { href: link('minute'), class: resolution === 'minute' ? 'on' : undefined, title: 'per minute, last 24 hours of the tag' }, 'Minutes'),
        h('a', { href: link('hour'), class: resolution === 'hour' ? 'on' : undefined, title: 'per hour, last 14 days of the tag' }, 'Hours'),
      ]),
    ),
    h('section', { class: 'panel' }, h('h2', null, 'Posts and authors'), chartState, activityEl, h('h2', null, 'Velocity against baseline (band: ±2σ)'), velocityEl),
    h('section', { class: 'panel' }, h('h2', null, 'Flags'), flagsEl),
    h('section', { class: 'panel' }, h('h2', null, 'Spread'), spreadEl),
  );

  let disposed = false;
  let charts = [];
  let stopResize = () => {};
  let lastSeriesLoad = 0;
  let seriesTimer = null;
  const openEvidence = new Set();
  /** flagId → the evidence last loaded for it and the flag revision it belongs to (flags on this page only). */
  const evidenceCache = new Map();

  async function loadSeries() {
    lastSeriesLoad = Date.now();
    try {
      const series = await apiGet(`tags/${encodeURIComponent(tag)}/series`, { resolution });
      if (disposed) return;
      for (const chart of charts) chart.destroy();
      stopResize();
      chartState.hidden = true;
      charts = [activityChart(activityEl, series), velocityChart(velocityEl, series)];
      stopResize = fitOnResize(charts, activityEl);
      ctx.setWatermark(series.to);
    } catch (err) {
      if (disposed) return;
      chartState.hidden = false;
      chartState.textContent = err?.status === 404 ? `No data yet for #${tag}.` : `Could not load the series: ${err?.message ?? err}`;
      if (err?.status !== 404) ctx.report(err);
    }
  }

  function scheduleSeries() {
    if (seriesTimer !== null) return;
    const wait = Math.max(0, lastSeriesLoad + SERIES_REFRESH_MS - Date.now());
    seriesTimer = setTimeout(() => {
      seriesTimer = null;
      if (!disposed) void loadSeries();
    }, wait);
  }

  async function loadFlags() {
    try {
      const page = await apiGet('flags', { tag, limit: 50 });
      if (disposed) return;
      replace(headerBadges, page.flags.slice(0, 5).map(badge));
      if (page.flags.length === 0) {
        replace(flagsEl, h('p', { class: 'muted', dataset: { testid: 'no-flags' } }, 'No flag on this tag.'));
        return;
      }
      const shown = new Set(page.flags.map((f) => f.flagId));
      for (const id of evidenceCache.keys()) if (!shown.has(id)) evidenceCache.delete(id);
      replace(flagsEl, page.flags.map((flag, i) => flagItem(flag, i === 0)));
    } catch (err) {
      if (disposed) return;
      replace(flagsEl, h('p', { class: 'error' }, `Could not load flags: ${err?.message ?? err}`));
      ctx.report(err);
    }
  }

  function flagItem(flag, open) {
    const evidenceEl = h('div', { class: 'evidence', dataset: { testid: 'evidence' } });
    const details = h(
      'details',
      { class: 'flag', dataset: { testid: 'flag-item', flagId: flag.flagId }, open: open || openEvidence.has(flag.flagId) },
      h('summary', null, badge(flag), ' ', h('span', { class: 'summary-text' }, flag.summary), ' ', h('span', { class: 'muted' }, `${fmtTime(flag.windowStart)} → ${fmtTime(flag.windowEnd)} · ${flag.authorCount} accounts`)),
      evidenceEl,
    );
    const load = () => {
      openEvidence.add(flag.flagId);
      if (evidenceEl.dataset.loaded) return;
      // A live refresh rebuilds the list: show the evidence already loaded at once (no flash of
      // "Loading…" under the reader's eyes), and fetch again only when the flag was revised.
      const cached = evidenceCache.get(flag.flagId);
      if (cached !== undefined) renderEvidence(evidenceEl, cached.evidence);
      if (cached !== undefined && cached.revision === flag.revision) return;
      evidenceEl.dataset.loaded = 'loading';
      if (cached === undefined) replace(evidenceEl, h('p', { class: 'muted' }, 'Loading evidence…'));
      apiGet(`flags/${encodeURIComponent(flag.flagId)}`)
        .then((e) => {
          evidenceCache.set(flag.flagId, { revision: flag.revision, evidence: e });
          if (!disposed) renderEvidence(evidenceEl, e);
        })
        .catch((err) => {
          delete evidenceEl.dataset.loaded;
          replace(evidenceEl, h('p', { class: 'error' }, `Could not load evidence: ${err?.message ?? err}`));
        });
    };
    details.addEventListener('toggle', () => {
      if (details.open) load();
      else openEvidence.delete(flag.flagId);
    });
    if (details.open) load();
    return details;
  }

  async function loadSpread() {
    try {
      const s = await apiGet(`tags/${encodeURIComponent(tag)}/spread`);
      if (disposed) return;
      renderSpread(spreadEl, s);
    } catch (err) {
      if (disposed) return;
      replace(spreadEl, h('p', { class: err?.status === 404 ? 'muted' : 'error' }, err?.status === 404 ? 'No posts yet.' : `Could not load spread figures: ${err?.message ?? err}`));
    }
  }

  const offMinutes = ctx.live.on('minutes', () => scheduleSeries());
  const offFlag = ctx.live.on('flag', (flag) => {
    if (flag.tag !== tag) return;
    void loadFlags();
    scheduleSeries();
  });
  void loadSeries();
  void loadFlags();
  void loadSpread();

  return () => {
    disposed = true;
    offMinutes();
    offFlag();
    clearTimeout(seriesTimer);
    stopResize();
    for (const chart of charts) chart.destroy();
  };
}

function renderEvidence(el, e) {
  el.dataset.loaded = 'done';
  const signals = Object.entries(e.flag.signals ?? {});
  const details = Object.entries(e.evidence ?? {}).filter(([k]) => k !== 'summary');
  const accounts =
    e.accounts.length === 0
      ? h('p', { class: 'muted' }, 'No account named by this flag.')
      : h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { class: 'accounts', dataset: { testid: 'accounts' } },
            h('thead', null, h('tr', null, ['Account', 'Handle', 'Posts', 'Followers', 'Created', 'First post'].map((x) => h('th', null, x)))),
            h(
              'tbody',
              null,
              e.accounts.map((a) =>
                h(
                  'tr',
                  { dataset: { testid: 'account-row' } },
                  h('td', null, a.authorId),
                  h('td', null, a.handle ?? '–'),
                  h('td', { class: 'num', title: 'posts with this tag in the flag window' }, fmtNumber(a.posts)),
                  h('td', { class: 'num' }, fmtNumber(a.followers)),
                  h('td', null, fmtTime(a.accountCreated).replace(' UTC', '')),
                  h('td', null, fmtTime(a.firstPost, true).replace(' UTC', '')),
                ),
              ),
            ),
          ),
        );
  const posts =
    e.samplePosts.length === 0
      ? h('p', { class: 'muted' }, 'No sample post stored yet.')
      : h(
          'ul',
          { class: 'posts scroll', dataset: { testid: 'sample-posts' } },
          e.samplePosts.map((p) =>
            h('li', { dataset: { testid: 'sample-post' } }, h('div', { class: 'meta' }, `${p.authorHandle ?? p.authorId} · ${p.kind} · ${fmtTime(p.ts, true)}`), h('div', { class: 'text' }, p.text === '' ? '(deleted by its author)' : p.text)),
          ),
        );
  replace(
    el,
    signals.length > 0 ? h('ul', { class: 'signals', dataset: { testid: 'signals' } }, signals.map(([k, v]) => h('li', null, h('span', { class: 'muted' }, `${k.replaceAll('_', ' ')} `), fmtNumber(v)))) : null,
    h(
      'div',
      { class: 'evidence-grid' },
      h('div', null, h('h3', null, `Implicated accounts (${fmtNumber(e.flag.authors.length)})`), accounts),
      h('div', null, h('h3', null, `Sample posts (${e.samplePosts.length})`), posts),
    ),
    details.length > 0 ? h('details', { class: 'raw' }, h('summary', null, 'Detector details (JSON)'), h('pre', null, JSON.stringify(Object.fromEntries(details), null, 2))) : null,
  );
}

function renderSpread(el, s) {
  const c = s.cascades;
  replace(
    el,
    h(
      'dl',
      { class: 'figures' },
      [
        ['Posts', fmtNumber(s.totalPosts)],
        ['Unique authors', fmtNumber(s.uniqueAuthors)],
        ['First post', fmtTime(s.firstPost, true)],
        ['Time to 100 posts', fmtDuration(s.timeTo100Ms)],
        ['Time to 1,000 posts', fmtDuration(s.timeTo1000Ms)],
        ['Cascades', fmtNumber(c.cascades)],
        ['Largest cascade', fmtNumber(c.largestSize)],
        ['Deepest chain', fmtNumber(c.maxDepth)],
        ['Structural virality (largest)', fmtNumber(c.largestStructuralVirality)],
        ['Mean structural virality', c.meanStructuralVirality === null ? '–' : fmtNumber(c.meanStructuralVirality)],
      ].flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
    ),
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        null,
        h('h3', null, 'First posters'),
        h('ol', { dataset: { testid: 'first-posters' } }, s.firstPosters.map((p) => h('li', null, `${p.handle ?? p.authorId} `, h('span', { class: 'muted' }, fmtTime(p.ts, true))))),
      ),
      h(
        'div',
        null,
        h('h3', null, 'Co-occurring tags'),
        s.coTags.length === 0 ? h('p', { class: 'muted' }, 'None.') : h('ol', { dataset: { testid: 'co-tags' } }, s.coTags.map((t) => h('li', null, h('a', { href: tagHref(t.tag) }, `#${t.tag}`), ` ${fmtNumber(t.count)}`))),
      ),
      h(
        'div',
        null,
        h('h3', null, 'Largest cascades'),
        c.top.length === 0 ? h('p', { class: 'muted' }, c.cascades === 0 ? 'No repost or reply chain with a known parent.' : 'Listed when computed from stored posts.') : h('ol', null, c.top.map((t) => h('li', null, `${fmtNumber(t.size)} posts, depth ${t.depth}, virality ${fmtNumber(t.structuralVirality)}`))),
      ),
    ),
    h('p', { class: 'muted small' }, s.source === 'live' ? 'From the analyze stage’s live state.' : 'Computed from stored posts.'),
  );
}
