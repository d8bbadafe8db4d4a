import type { LiveFeedStage, TrendingTag } from '../live/index.ts';
import type { Flag } from '../model/index.ts';

const SPARK = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, 1);
  return values.map((v) => SPARK[Math.min(SPARK.length - 1, Math.floor((v / max) * (SPARK.length - 1)))]).join('');
}

export interface DashboardState {
  watermark: number;
  top: TrendingTag[];
  flags: Flag[];
  /** Extra status line (posts/s, queue depth). */
  status: string;
}

function pad(text: string, width: number): string {
  const chars = [...text];
  return chars.length >= width ? `${chars.slice(0, width - 1).join('')}…` : text + ' '.repeat(width - chars.length);
}

function time(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : '—';
}

function summaryOf(flag: Flag): string {
  try {
    const parsed = JSON.parse(flag.evidence) as { summary?: unknown };
    if (typeof parsed.summary === 'string') return parsed.summary;
  } catch {
    // Evidence that is not JSON is shown as it is.
  }
  return flag.evidence;
}

/** The demo's live view as plain text: top tags by velocity, then the newest flags. */
export function renderDashboard(state: DashboardState, width = 100): string {
  const lines: string[] = [];
  lines.push(`tagwatch — event time ${time(state.watermark)} UTC   ${state.status}`);
  lines.push('');
  lines.push(`${pad('tag', 24)}${pad('posts/min', 11)}${pad('velocity', 10)}${pad('z', 8)}${pad('authors', 9)}${pad('young', 7)}trend`);
  for (const t of state.top) {
    const young = t.latest.posts > 0 ? `${Math.round((100 * t.latest.youngPosts) / t.latest.posts)}%` : '—';
    const badge = t.flags.length > 0 ? ` ⚑ ${[...new Set(t.flags.map((f) => f.kind))].join(',')}` : '';
    lines.push(
      `${pad(`#${t.tag}`, 24)}${pad(String(t.latest.posts), 11)}${pad(t.latest.velocity.toFixed(1), 10)}${pad(t.latest.zscore.toFixed(1), 8)}` +
        `${pad(String(t.latest.uniqueAuthors), 9)}${pad(young, 7)}${sparkline(t.recent)}${badge}`,
    );
  }
  if (state.top.length === 0) lines.push('  no data yet');
  lines.push('');
  lines.push('flags');
  for (const flag of state.flags) {
    lines.push(`  ${time(flag.detectedAt)}  ${pad(flag.kind, 12)} ${pad(`#${flag.tag}`, 20)} score ${flag.score.toFixed(2)}  ${summaryOf(flag)}`);
  }
  if (state.flags.length === 0) lines.push('  none yet');
  return lines.map((l) => (l.length > width ? pad(l, width) : l)).join('\n');
}

/**
 * Redraws the dashboard in place on a terminal; elsewhere (a pipe, CI) prints each flag once
 * as it fires, so logs stay readable.
 */
export class TerminalView {
  readonly #feed: LiveFeedStage;
  readonly #out: NodeJS.WriteStream;
  readonly #status: () => string;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #onFlag = (flag: Flag): void => {
    if (flag.revision === 0) this.#out.write(`flag ${flag.kind} #${flag.tag} at ${time(flag.detectedAt)}: ${summaryOf(flag)}\n`);
  };

  constructor(feed: LiveFeedStage, out: NodeJS.WriteStream, status: () => string) {
    this.#feed = feed;
    this.#out = out;
    this.#status = status;
  }

  start(intervalMs = 500): void {
    if (this.#out.isTTY) {
      this.#timer = setInterval(() => this.draw(), intervalMs);
      this.#timer.unref();
    } else {
      this.#feed.on('flag', this.#onFlag);
    }
  }

  draw(): void {
    if (this.#closed) return;
    const width = this.#out.columns ?? 100;
    const text = renderDashboard(
      { watermark: this.#feed.watermark(), top: this.#feed.top(12), flags: this.#feed.recentFlags(8), status: this.#status() },
      width,
    );
    this.#out.write(`\x1b[H\x1b[2J${text}\n`);
  }

  close(): void {
    if (this.#closed) return;
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.draw();
    }
    this.#closed = true;
    this.#feed.off('flag', this.#onFlag);
  }
}
