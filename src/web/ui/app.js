// Router and shell: one view at a time (#/, #/tag/<tag>, #/alerts), the live feed's state in the
// header, and errors shown where people look.
import { alertsView } from './alerts.js';
import { ApiError, LiveClient, setToken } from './api.js';
import { boardView } from './board.js';
import { fmtTime, h, replace } from './dom.js';
import { tagView } from './tag.js';

const view = /** @type {HTMLElement} */ (document.getElementById('view'));
const banner = /** @type {HTMLElement} */ (document.getElementById('banner'));
const statusEl = /** @type {HTMLElement} */ (document.getElementById('live-status'));
const watermarkEl = /** @type {HTMLElement} */ (document.getElementById('watermark'));
const live = new LiveClient();
let dispose = () => {};

const STATUS_TEXT = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  unauthorized: 'token needed',
};

live.on('state', ({ state, detail }) => {
  statusEl.className = `status status-${state}`;
  statusEl.textContent = state === 'reconnecting' && detail > 1 ? `reconnecting (attempt ${detail})…` : STATUS_TEXT[state] ?? state;
  if (state === 'unauthorized') askForToken('The live feed needs the access token.');
});
live.on('minutes', (m) => setWatermark(m.watermark));

function setWatermark(iso) {
  if (iso === null || iso === undefined) return;
  const current = watermarkEl.dataset.at ?? '';
  if (String(iso) <= current) return;
  watermarkEl.dataset.at = String(iso);
  watermarkEl.textContent = `data up to ${fmtTime(iso)}`;
}

function report(err) {
  if (err instanceof ApiError && err.status === 401) {
    askForToken(err.message);
    return;
  }
  showBanner(h('span', null, err instanceof Error ? err.message : String(err)), h('button', { type: 'button', onclick: () => hideBanner() }, 'Dismiss'));
}

function showBanner(...children) {
  replace(banner, ...children);
  banner.hidden = false;
}

function hideBanner() {
  banner.hidden = true;
  banner.replaceChildren();
}

function askForToken(message) {
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', placeholder: 'access token', dataset: { testid: 'token-input' } });
  const form = h('form', { class: 'token' }, h('span', null, `${message} `), input, h('button', { type: 'submit' }, 'Use token'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    hideBanner();
    live.reconnectNow();
    route();
  });
  showBanner(form);
}

function route() {
  dispose();
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const ctx = { live, params, report, setWatermark };
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('on', (a.dataset.nav === 'alerts') === path.startsWith('/alerts'));
  const tagMatch = /^\/tag\/(.+)$/.exec(path);
  if (tagMatch) {
    let tag;
    try {
      tag = decodeURIComponent(tagMatch[1]);
    } catch {
      tag = tagMatch[1];
    }
    document.title = `#${tag} · tagwatch`;
    dispose = tagView(view, tag, ctx);
  } else if (path.startsWith('/alerts')) {
    document.title = 'Alerts · tagwatch';
    dispose = alertsView(view, ctx);
  } else {
    document.title = 'Trends · tagwatch';
    dispose = boardView(view, ctx);
  }
}

window.addEventListener('hashchange', route);
route();
live.connect();
