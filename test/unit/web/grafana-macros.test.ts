import { describe, expect, it } from 'vitest';
import { expandMacros, grafanaSql, interpolateVariables } from '../../integration/web/grafana-macros.ts';

const ctx = { from: Date.UTC(2017, 4, 5, 18, 0), to: Date.UTC(2017, 4, 5, 19, 0, 0, 500), intervalMs: 30_000, variables: { tag: "o'brien" } };

describe('Grafana ClickHouse macro expansion (as the plugin does it)', () => {
  it('expands time filters, intervals and bounds', () => {
    expect(expandMacros('WHERE $__timeFilter(minute)', ctx)).toBe('WHERE minute >= toDateTime(1494007200) AND minute <= toDateTime(1494010800)');
    expect(expandMacros('$__timeFilter_ms(ts)', ctx)).toBe('ts >= fromUnixTimestamp64Milli(1494007200000) AND ts <= fromUnixTimestamp64Milli(1494010800500)');
    expect(expandMacros('$__timeInterval(toDateTime(x)) AS t', ctx)).toBe('toStartOfInterval(toDateTime(toDateTime(x)), INTERVAL 30 second) AS t');
    expect(expandMacros('$__interval_s, $__fromTime, $__toTime_ms', ctx)).toBe('30, toDateTime(1494007200), fromUnixTimestamp64Milli(1494010800500)');
    expect(expandMacros('$__dateFilter(d)', ctx)).toBe("d >= toDate('2017-05-05') AND d <= toDate('2017-05-05')");
    expect(() => expandMacros('$__timeFilter()', ctx)).toThrow(/expects 1 argument/);
    expect(() => expandMacros('$__nope(x)', ctx)).toThrow(/unknown macro/);
  });

  it('interpolates variables, quoting sqlstring values', () => {
    expect(interpolateVariables('tag = ${tag:sqlstring}', ctx.variables)).toBe("tag = 'o''brien'");
    expect(interpolateVariables('x = $tag', ctx.variables)).toBe("x = o'brien");
    expect(() => interpolateVariables('$missing', ctx.variables)).toThrow(/not defined/);
    expect(grafanaSql('WHERE tag = ${tag:sqlstring} AND $__timeFilter(m)', ctx)).toContain("'o''brien' AND m >= toDateTime(");
  });
});
