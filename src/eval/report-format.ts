import type { EvalReport } from './types.ts';

/** The report as a terminal table: one line per campaign and hard case, then the totals. */
export function formatReportText(report: EvalReport): string {
  const s = report.summary;
  const lines: string[] = [];
  lines.push(`tagwatch eval${report.seed === null ? '' : ` (seed ${report.seed})`}`);
  lines.push('');
  lines.push('campaigns');
  lines.push(row(['id', 'style', 'tag', 'members', 'detected', 'latency', 'flagged', 'precision', 'recall', 'F1']));
  for (const c of report.campaigns) {
    lines.push(
      row([
        c.id,
        c.style,
        `#${c.tag}`,
        String(c.members),
        c.detected ? 'yes' : 'NO',
        c.latencySec === null ? '-' : `${Math.round(c.latencySec)} s`,
        String(c.flagged),
        num(c.precision),
        num(c.recall),
        num(c.f1),
      ]),
    );
  }
  lines.push('');
  lines.push('hard cases (must not flag)');
  lines.push(row(['id', 'kind', 'tag', 'coordinated', 'spam']));
  for (const h of report.hardCases) lines.push(row([h.id, h.kind, `#${h.tag}`, String(h.coordinatedFlags), String(h.spamFlags)]));
  lines.push('');
  lines.push(`campaign recall      ${num(s.campaignRecall)} (${s.detected}/${s.campaigns})`);
  lines.push(`tag precision        ${num(s.tagPrecision)} (${s.truePositiveTags}/${s.flaggedTags} flagged tags)${s.falsePositiveTags.length > 0 ? `  false positives: ${s.falsePositiveTags.map((t) => `#${t}`).join(' ')}` : ''}`);
  lines.push(`account precision    ${num(s.accountPrecision)}`);
  lines.push(`account recall       ${num(s.accountRecall)}`);
  lines.push(`account F1           ${num(s.accountF1)}`);
  lines.push(`latency (event time) median ${sec(s.latencyMedianSec)}, p90 ${sec(s.latencyP90Sec)}`);
  lines.push(`hard cases flagged   ${s.hardCaseFalsePositives}/${report.hardCases.length}`);
  lines.push(`flags                ${s.coordinatedFlags} coordinated, ${s.spamFlags} spam`);
  return `${lines.join('\n')}\n`;
}

function row(cells: readonly string[]): string {
  const widths = [14, 12, 26, 8, 9, 9, 8, 10, 8, 6];
  return cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join(' ').trimEnd();
}

function num(value: number): string {
  return value.toFixed(3);
}

function sec(value: number | null): string {
  return value === null ? 'n/a' : `${Math.round(value)} s`;
}
