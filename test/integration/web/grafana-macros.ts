/**
 * What Grafana does to a ClickHouse panel's SQL before the server sees it: the frontend
 * interpolates dashboard variables, then the grafana-clickhouse-datasource backend expands its
 * macros (pkg/macros/macros.go in grafana/clickhouse-datasource, v4). Reproduced here so the
 * dashboards' SQL can run against the embedded store in tests.
 */

export interface GrafanaQueryContext {
  /** Time picker range, epoch ms. */
  from: number;
  to: number;
  /** The panel's interval (range / max data points, as Grafana computes it), in ms. */
  intervalMs: number;
  /** Dashboard variables by name (single values). */
  variables: Readonly<Record<string, string>>;
}

/** Grafana's `sqlstring` format: single-quoted, quotes doubled. */
function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function interpolateVariables(sql: string, variables: Readonly<Record<string, string>>): string {
  const lookup = (name: string): string => {
    const value = variables[name];
    if (value === undefined) throw new Error(`dashboard variable $${name} is not defined`);
    return value;
  };
  return sql
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?\}/g, (_m, name: string, format: string | undefined) => {
      if (name.startsWith('__')) return _m;
      const value = lookup(name);
      if (format === undefined || format === 'raw') return value;
      if (format === 'sqlstring') return sqlString(value);
      if (format === 'singlequote') return `'${value.replaceAll("'", "\\'")}'`;
      throw new Error(`variable format ${format} not supported by this expander`);
    })
    .replace(/\$(?!__)([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => lookup(name));
}

const seconds = (ms: number): number => Math.floor(ms / 1000);
const dateTime = (ms: number): string => `toDateTime(${seconds(ms)})`;
const dateTime64 = (ms: number): string => `fromUnixTimestamp64Milli(${Math.trunc(ms)})`;
const date = (ms: number): string => `toDate('${new Date(ms).toISOString().slice(0, 10)}')`;

type Macro = (args: string[], ctx: GrafanaQueryContext) => string;

function oneArg(name: string, args: string[]): string {
  if (args.length !== 1 || args[0] === '') throw new Error(`$__${name} expects 1 argument, got ${args.length}`);
  return args[0] as string;
}

const MACROS: Record<string, Macro> = {
  fromTime: (_a, c) => dateTime(c.from),
  toTime: (_a, c) => dateTime(c.to),
  fromTime_ms: (_a, c) => dateTime64(c.from),
  toTime_ms: (_a, c) => dateTime64(c.to),
  timeFilter: (a, c) => {
    const col = oneArg('timeFilter', a);
    return `${col} >= ${dateTime(c.from)} AND ${col} <= ${dateTime(c.to)}`;
  },
  timeFilter_ms: (a, c) => {
    const col = oneArg('timeFilter_ms', a);
    return `${col} >= ${dateTime64(c.from)} AND ${col} <= ${dateTime64(c.to)}`;
  },
  dateFilter: (a, c) => {
    const col = oneArg('dateFilter', a);
    return `${col} >= ${date(c.from)} AND ${col} <= ${date(c.to)}`;
  },
  dateTimeFilter: (a, c) => {
    if (a.length !== 2) throw new Error(`$__dateTimeFilter expects 2 arguments, got ${a.length}`);
    const [d, t] = a as [string, string];
    return `(${d} >= ${date(c.from)} AND ${d} <= ${date(c.to)}) AND (${t} >= ${dateTime(c.from)} AND ${t} <= ${dateTime(c.to)})`;
  },
  timeInterval: (a, c) => `toStartOfInterval(toDateTime(${oneArg('timeInterval', a)}), INTERVAL ${Math.max(1, seconds(c.intervalMs))} second)`,
  timeInterval_ms: (a, c) => `toStartOfInterval(toDateTime64(${oneArg('timeInterval_ms', a)}, 3), INTERVAL ${Math.max(1, Math.trunc(c.intervalMs))} millisecond)`,
  interval_s: (_a, c) => String(Math.max(1, seconds(c.intervalMs))),
};
MACROS['dt'] = MACROS['dateTimeFilter'] as Macro;

/** Splits `a, f(b, c), d` at top-level commas. */
function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '' || args.length > 0) args.push(current.trim());
  return args;
}

export function expandMacros(sql: string, ctx: GrafanaQueryContext): string {
  let out = '';
  let i = 0;
  for (;;) {
    const at = sql.indexOf('$__', i);
    if (at === -1) return out + sql.slice(i);
    out += sql.slice(i, at);
    const name = /^\$__([A-Za-z_]+)/.exec(sql.slice(at))?.[1] ?? '';
    const macro = MACROS[name];
    if (macro === undefined) throw new Error(`unknown macro $__${name}`);
    let end = at + 3 + name.length;
    let args: string[] = [];
    if (sql[end] === '(') {
      let depth = 0;
      let close = end;
      for (; close < sql.length; close++) {
        if (sql[close] === '(') depth++;
        if (sql[close] === ')' && --depth === 0) break;
      }
      if (close >= sql.length) throw new Error(`unbalanced parentheses after $__${name}`);
      args = splitArgs(sql.slice(end + 1, close));
      end = close + 1;
    }
    out += macro(args, ctx);
    i = end;
  }
}

/** Variables, then macros: the SQL as ClickHouse receives it from Grafana. */
export function grafanaSql(sql: string, ctx: GrafanaQueryContext): string {
  return expandMacros(interpolateVariables(sql, ctx.variables), ctx);
}
