// Builds DOM nodes from data without ever parsing it as HTML: every string becomes a text node,
// so a hashtag, handle or post text can never inject markup.

/**
 * h('div', { class: 'x', dataset: { tag: 't' }, onclick: fn }, child, 'text', [more])
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attrs]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the content of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

const numberFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const intFormat = new Intl.NumberFormat('en');

export function fmtNumber(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return Math.abs(n) >= 100 ? intFormat.format(Math.round(n)) : numberFormat.format(n);
}

export function fmtPercent(share) {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${Math.round(share * 100)}%`;
}

/** An instant (ISO string or epoch ms) as `2017-05-05 18:35 UTC`: event time is always UTC. */
export function fmtTime(value, withSeconds = false) {
  if (value === null || value === undefined) return '–';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '–';
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)} UTC`;
}

export function fmtDuration(ms) {
  if (ms === null || ms === undefined) return 'not reached';
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  return `${(m / 60).toFixed(1)} h`;
}

export function tagHref(tag) {
  return `#/tag/${encodeURIComponent(tag)}`;
}
