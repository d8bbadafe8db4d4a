import type { SimulatedSeedProgress } from './simulated-evaluation.ts';
import type { EvalTargetName, PooledReport } from './types.ts';

const TARGET_LABELS: Record<EvalTargetName, (r: PooledReport) => string> = {
  recall: (r) => `campaign recall >= ${r.targets.minRecall}`,
  precision: (r) => `tag precision >= ${r.targets.minPrecision}`,
  f1: (r) => `account F1 >= ${r.targets.minF1}`,
  latency: (r) => `median latency <= ${r.targets.maxLatencySec} s`,
  hardFp: (r) => `hard cases flagged <= ${r.targets.maxHardFp}`,
};

/** A pooled report as a terminal table: one line per seed, then the pooled figures and the targets held per seed. */
export function formatPooledReportText(report: PooledReport & { hours?: number }): string {
  const s = report.summary;
  const lines: string[] = [];
  lines.push(`tagwatch eval: ${s.seeds} seed${s.seeds === 1 ? '' : 's'}${report.hours === undefined ? '' : `, ${report.hours} h each`}`);
  lines.push('');
  lines.push(row(['seed', 'campaigns', 'recall', 'tag prec', 'F1', 'latency', 'hard FP', 'false-positive tags']));
  for (const r of report.rows) {
    lines.push(
      row([
        r.seed === null ? '-' : String(r.seed),
        `${r.detected}/${r.campaigns}`,
        num(r.campaignRecall),
        num(r.tagPrecision),
        num(r.accountF1),
        sec(r.latencyMedianSec),
        `${r.hardCaseFalsePositives}/${r.hardCases}`,
        r.falsePositiveTags.length === 0 ? '-' : r.falsePositiveTags.map((t) => `#${t}`).join(' '),
      ]),
    );
  }
  lines.push('');
  lines.push('pooled');
  lines.push(`campaign recall      ${num(s.campaignRecall)} (${s.detected}/${s.campaigns})`);
  lines.push(`tag precision        ${num(s.tagPrecision)} (${s.truePositiveTags}/${s.flaggedTags} flagged tags, ${s.falsePositiveTags} false positive)`);
  lines.push(`account precision    ${num(s.accountPrecision)}`);
  lines.push(`account recall       ${num(s.accountRecall)}`);
  lines.push(`account F1           ${num(s.accountF1)}`);
  lines.push(
    `latency (event time) median ${sec(s.latencyMedianSec)}, p90 ${sec(s.latencyP90Sec)}` +
      (s.latencyWithinBound === null ? '' : `, ${s.latencyWithinBound}/${s.detected} within ${report.targets.maxLatencySec} s`),
  );
  lines.push(`hard cases flagged   ${s.hardCaseFalsePositives}/${s.hardCases}`);
  lines.push(`flags                ${s.coordinatedFlags} coordinated, ${s.spamFlags} spam`);
  const held = Object.entries(s.seedsHolding) as Array<[EvalTargetName, number]>;
  if (held.length > 0) {
    lines.push('');
    lines.push('seeds holding each target on their own');
    for (const [name, n] of held) lines.push(`  ${TARGET_LABELS[name](report).padEnd(30)} ${n}/${s.seeds}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One seed done, as a progress line for stderr. */
export function formatSeedProgress(p: SimulatedSeedProgress): string {
  const s = p.report.summary;
  return (
    `seed ${p.seed} (${p.index}/${p.total}): ${s.detected}/${s.campaigns} campaigns, tag precision ${num(s.tagPrecision)}, ` +
    `F1 ${num(s.accountF1)}, median ${sec(s.latencyMedianSec)}, hard cases flagged ${s.hardCaseFalsePositives}/${p.report.hardCases.length}; ` +
    `${p.posts} posts in ${(p.elapsedMs / 1000).toFixed(1)} s\n`
  );
}

function row(cells: readonly string[]): string {
  const widths = [10, 10, 7, 9, 6, 8, 8];
  return cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join(' ').trimEnd();
}

function num(value: number): string {
  return value.toFixed(3);
}

function sec(value: number | null): string {
  return value === null ? 'n/a' : `${Math.round(value)} s`;
}
