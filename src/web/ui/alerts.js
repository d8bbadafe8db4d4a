// Alerts feed: flags newest first, filtered by kind and minimum score; new ones arrive live.
import { apiGet } from './api.js';
import { badge } from './board.js';
import { fmtTime, h, replace, tagHref } from './dom.js';

const KINDS = ['', 'burst', 'coordinated', 'spam'];

/**
 * @param {HTMLElement} root
 * @param {{ live: import('./api.js').LiveClient, params: URLSearchParams, report: (err: unknown) => void }} ctx
 */
export function alertsView(root, ctx) {
  const kind = KINDS.includes(ctx.params.get('kind') ?? '') ? (ctx.params.get('kind') ?? '') : '';
  const minScoreText = ctx.params.get('minScore') ?? '';
  const minScore = /^\d+(\.\d+)?$/.test(minScoreText) ? Number(minScoreText) : undefined;
  const list = h('ol', { class: 'alerts', dataset: { testid: 'alerts' } });
  const state = h('p', { class: 'muted', dataset: { testid: 'alerts-state' } }, 'Loading flags…');
  const more = h('button', { type: 'button', hidden: true }, 'Older flags');
  const kindSelect = h('select', { name: 'kind', dataset: { testid: 'kind-filter' } }, KINDS.map((k) => h('option', { value: k, selected: k === kind }, k === '' ? 'all kinds' : k)));
  const scoreInput = h('input', { name: 'minScore', type: 'number', min: '0', step: 'any', value: minScoreText, placeholder: 'any', dataset: { testid: 'score-filter' } });
  const form = h('form', { class: 'filters' }, h('label', null, 'Kind ', kindSelect), h('label', null, 'Min score ', scoreInput), h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const p = new URLSearchParams();
    if (kindSelect.value) p.set('kind', kindSelect.value);
    if (scoreInput.value) p.set('minScore', scoreInput.value);
    location.hash = `#/alerts${p.size > 0 ? `?${p}` : ''}`;
  });
  replace(root, h('section', { class: 'toolbar' }, h('h1', null, 'Alerts'), form), state, list, more);

  const shown = new Map();
  let cursor = null;
  let disposed = false;

  function item(flag) {
    return h(
      'li',
      { dataset: { testid: 'alert', kind: flag.kind, tag: flag.tag, flagId: flag.flagId } },
      badge(flag),
      ' ',
      h('a', { href: tagHref(flag.tag) }, `#${flag.tag}`),
      ' ',
      h('span', { class: 'muted' }, `detected ${fmtTime(flag.detectedAt)} · ${flag.authorCount} accounts${flag.revision > 0 ? ` · update ${flag.revision}` : ''}`),
      h('div', { class: 'summary' }, flag.summary),
    );
  }

  function passes(flag) {
    return (kind === '' || flag.kind === kind) && (minScore === undefined || flag.score >= minScore);
  }

  async function load() {
    try {
      const page = await apiGet('flags', { kind, minScore, limit: 50, cursor: cursor ?? undefined });
      if (disposed) return;
      for (const flag of page.flags) {
        if (shown.has(flag.flagId)) continue;
        const li = item(flag);
        shown.set(flag.flagId, li);
        list.append(li);
      }
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      state.hidden = shown.size > 0;
      state.textContent = 'No flag yet matches these filters.';
    } catch (err) {
      if (disposed) return;
      state.hidden = false;
      state.textContent = `Could not load flags: ${err?.message ?? err}`;
      ctx.report(err);
    }
  }
  more.addEventListener('click', () => void load());

  const offFlag = ctx.live.on('flag', (flag) => {
    if (!passes(flag)) return;
    const li = item(flag);
    shown.get(flag.flagId)?.remove();
    shown.set(flag.flagId, li);
    li.classList.add('flash');
    list.prepend(li);
    state.hidden = true;
  });
  void load();

  return () => {
    disposed = true;
    offFlag();
  };
}
