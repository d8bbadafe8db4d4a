import { describeTargets, formatNumber } from './row-verdicts.ts';
import type { ResolvedRow } from './types.ts';

const HEADERS = ['Benchmark', 'Measured', 'Unit', 'Ratio to limit', 'Target', 'Verdict', 'Notes'] as const;

/** The cells of one row, in header order. */
export function tableCells(row: ResolvedRow): string[] {
  return [
    row.label,
    formatNumber(row.value),
    row.unit,
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}× ${row.limitOf ?? ''}`.trim(),
    describeTargets(row),
    row.verdict,
    row.error === undefined ? (row.note ?? '') : `${row.error}`,
  ];
}

/** Display width of a cell: code points, not UTF-16 units (≥, ×, – are one column each). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return right ? fill + text : text + fill;
}

/**
 * The results as one plain-text table: numbers right-aligned, every other column left-aligned,
 * the notes column last and unpadded so a long note does not widen the rest.
 */
export function formatTable(rows: readonly ResolvedRow[]): string {
  const cells = rows.map(tableCells);
  const all = [[...HEADERS], ...cells];
  const last = HEADERS.length - 1;
  const widths = HEADERS.map((_, c) => Math.max(...all.map((r) => width(r[c] ?? ''))));
  const numeric = new Set([1]);
  const line = (r: readonly string[]): string => {
    const shown = r.map((cell, c) => (c === last ? cell : pad(cell, widths[c] ?? 0, numeric.has(c))));
    // No trailing separator before an empty note.
    if ((r[last] ?? '') === '') shown.pop();
    return shown.join(' | ').trimEnd();
  };
  const rule = widths.map((w, c) => '-'.repeat(c === last ? Math.max(5, Math.min(w, 40)) : w)).join('-|-');
  return [line(HEADERS), rule, ...cells.map(line)].join('\n');
}

/** The table in Markdown, for notes and issue comments. */
export function formatMarkdownTable(rows: readonly ResolvedRow[]): string {
  const escape = (s: string): string => s.replace(/\|/g, '\\|');
  const head = `| ${HEADERS.join(' | ')} |`;
  const rule = `|${HEADERS.map((_, c) => (c === 1 ? '---:' : '---')).join('|')}|`;
  return [head, rule, ...rows.map((r) => `| ${tableCells(r).map(escape).join(' | ')} |`)].join('\n');
}
