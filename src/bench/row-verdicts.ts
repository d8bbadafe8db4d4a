import { Verdicts, type BenchRow, type ResolvedRow, type Target, type Verdict } from './types.ts';

/** value / limit, when both are known and the limit is positive. */
export function ratioTo(value: number | undefined, limit: number | undefined): number | undefined {
  if (value === undefined || limit === undefined || !Number.isFinite(value) || !Number.isFinite(limit) || limit <= 0) return undefined;
  return value / limit;
}

/** Whether one target holds; undefined when the figure it is about is missing. */
export function meets(target: Target, value: number | undefined, ratio: number | undefined): boolean | undefined {
  const figure = target.on === 'value' ? value : ratio;
  if (figure === undefined || !Number.isFinite(figure)) return undefined;
  return target.op === '>=' ? figure >= target.value : figure <= target.value;
}

/**
 * PASS when every target holds, FAIL when one does not, ERROR when the benchmark failed or a
 * target's figure is missing (no value, or its limit failed), and — for a row without targets.
 */
export function verdictOf(row: BenchRow, ratio: number | undefined): Verdict {
  const targets = row.targets ?? [];
  if (row.error !== undefined) return Verdicts.error;
  // A figure without a target that could not be taken (no flag fired in a short run) is not a failure.
  if (targets.length === 0) return Verdicts.none;
  if (row.value === undefined) return Verdicts.error;
  let failed = false;
  for (const target of targets) {
    const ok = meets(target, row.value, ratio);
    if (ok === undefined) return Verdicts.error;
    if (!ok) failed = true;
  }
  return failed ? Verdicts.fail : Verdicts.pass;
}

/** Works out each row's ratio (to the row it names as its limit) and verdict. */
export function resolveRows(rows: readonly BenchRow[]): ResolvedRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return rows.map((row) => {
    const limit = row.limitOf === undefined ? undefined : byId.get(row.limitOf)?.value;
    const ratio = row.limitOf === undefined ? undefined : ratioTo(row.value, limit);
    return { ...row, ratio, verdict: verdictOf(row, ratio) };
  });
}

/** `≥ 100,000 posts/s`, `≥ 0.5× limit`, joined with `; `. */
export function describeTargets(row: BenchRow): string {
  return (row.targets ?? [])
    .map((t) => `${t.op === '>=' ? '≥' : '≤'} ${t.on === 'ratio' ? `${formatNumber(t.value)}× limit` : `${formatNumber(t.value)}${row.unit === '' ? '' : ` ${row.unit}`}`}`)
    .join('; ');
}

/**
 * A figure for humans: thousands separators for large numbers, three significant digits for
 * small ones, `–` for a missing figure.
 */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const abs = Math.abs(value);
  if (abs >= 1_000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs === 0) return '0';
  if (abs >= 0.01) return value.toFixed(2);
  return value.toPrecision(2);
}
