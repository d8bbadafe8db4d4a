import { ErrorCodes, TagwatchError } from '../errors/index.ts';

/** Statement kinds that only read. */
const READ_KEYWORDS = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'EXISTS']);

interface Token {
  kind: 'word' | 'symbol';
  text: string;
}

/**
 * Refuses anything but one reading statement, before it reaches ClickHouse (which also runs it
 * with `readonly = 1`): the refusal names what was refused instead of a server error. Works on
 * tokens, so keywords inside strings, quoted identifiers and comments do not count.
 * `SELECT … INTO OUTFILE` is refused too: it writes a file, and readonly does not stop it.
 */
export function assertReadOnlyStatement(sql: string): void {
  const tokens = tokenize(sql);
  while (tokens.length > 0 && tokens[tokens.length - 1]?.text === ';') tokens.pop();
  const first = tokens.find((t) => t.text !== '(');
  if (first === undefined) throw refusal('the statement is empty');
  if (first.kind !== 'word' || !READ_KEYWORDS.has(first.text.toUpperCase())) {
    throw refusal(`${first.text.toUpperCase()} statements are not allowed: tagwatch sql only reads (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN, EXISTS)`);
  }
  if (tokens.some((t) => t.text === ';')) throw refusal('only one statement may be given');
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i]?.text.toUpperCase() === 'INTO' && tokens[i + 1]?.text.toUpperCase() === 'OUTFILE') {
      throw refusal('INTO OUTFILE writes a file: redirect the output instead (tagwatch sql … > file)');
    }
  }
}

function refusal(why: string): TagwatchError {
  return new TagwatchError(ErrorCodes.STORE_READONLY, `refused: ${why}`);
}

/** Words and symbols of a ClickHouse statement, skipping whitespace, comments and quoted text. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      i = endOfLine(sql, i);
    } else if (c === '#') {
      i = endOfLine(sql, i);
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i = endOfQuoted(sql, i, c);
      tokens.push({ kind: 'symbol', text: c });
    } else if (/[\p{L}_]/u.test(c)) {
      const start = i;
      while (i < n && /[\p{L}\p{N}_$]/u.test(sql[i] as string)) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i) });
    } else {
      tokens.push({ kind: 'symbol', text: c });
      i++;
    }
  }
  return tokens;
}

function endOfLine(sql: string, from: number): number {
  const end = sql.indexOf('\n', from);
  return end === -1 ? sql.length : end + 1;
}

/** Index after the closing quote; a backslash escapes, and a doubled quote stands for itself. */
function endOfQuoted(sql: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}
