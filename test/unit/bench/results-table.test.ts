import { describe, expect, it } from 'vitest';
import { formatMarkdownTable, formatTable, tableCells } from '../../../src/bench/results-table.ts';
import { resolveRows } from '../../../src/bench/row-verdicts.ts';

const rows = resolveRows([
  { id: 'parse', label: '1 Parse limit', value: 250_000, unit: 'posts/s', note: 'best of 2' },
  {
    id: 'analyze',
    label: '2 Analyze stage alone',
    value: 100_000,
    unit: 'posts/s',
    limitOf: 'parse',
    targets: [
      { on: 'value', op: '>=', value: 100_000 },
      { on: 'ratio', op: '>=', value: 0.5 },
    ],
  },
  { id: 'kafka', label: '5 Kafka', unit: 'posts/s', error: 'broker did not start' },
]);

describe('tableCells', () => {
  it('shows the ratio with the limit it is taken against, and the error instead of the note', () => {
    expect(tableCells(rows[1]!)).toEqual(['2 Analyze stage alone', '100,000', 'posts/s', '0.40× parse', '≥ 100,000 posts/s; ≥ 0.50× limit', 'FAIL', '']);
    expect(tableCells(rows[2]!)).toEqual(['5 Kafka', '–', 'posts/s', '', '', 'ERROR', 'broker did not start']);
  });
});

describe('formatTable', () => {
  const text = formatTable(rows);
  const lines = text.split('\n');

  it('has a header, a rule and one line per row', () => {
    expect(lines).toHaveLength(2 + rows.length);
    expect(lines[0]).toMatch(/^Benchmark\s+\| Measured \| Unit/);
    expect(lines[1]).toMatch(/^-+-\|-/);
  });

  it('aligns every column but the last: separators sit at the same width on every line', () => {
    const positions = (line: string): number[] => [...line].flatMap((ch, i) => (ch === '|' ? [i] : []));
    const header = positions(lines[0]!);
    for (const line of lines.slice(2)) expect(header.slice(0, positions(line).length)).toEqual(positions(line));
    expect(positions(lines[2]!)).toEqual(header);
  });

  it('right-aligns the measured figures', () => {
    const measured = lines.slice(2).map((l) => l.split(' | ')[1]!);
    expect(measured).toEqual([' 250,000', ' 100,000', '       –']);
  });

  it('keeps notes unpadded at the end of the line', () => {
    expect(lines[2]!.endsWith('| best of 2')).toBe(true);
    expect(lines[3]!.endsWith('| FAIL')).toBe(true);
  });
});

describe('formatMarkdownTable', () => {
  it('writes a Markdown table with the figures right-aligned and pipes escaped', () => {
    const md = formatMarkdownTable(resolveRows([{ id: 'x', label: 'a | b', value: 1, unit: 'ms' }])).split('\n');
    expect(md[0]).toBe('| Benchmark | Measured | Unit | Ratio to limit | Target | Verdict | Notes |');
    expect(md[1]).toBe('|---|---:|---|---|---|---|---|');
    expect(md[2]).toBe('| a \\| b | 1.00 | ms |  |  | — |  |');
  });
});
