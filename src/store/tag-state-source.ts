import type { TagStateSnapshot } from '../bus/index.ts';
import { ErrorCodes, ValidationError } from '../errors/index.ts';
import type { Store } from './store.ts';

/** Rows read per query while streaming `tag_state` back (bounded memory for any number of tags). */
const PAGE_ROWS = 5_000;

/**
 * The analyze stage's checkpoints as stored in `tag_state` (latest per tag, tombstones dropped),
 * in tag order, one page at a time. A row whose JSON cannot be parsed is reported through
 * `onInvalid` and skipped: that tag starts afresh, the others are restored.
 */
export async function* readTagStates(store: Store, onInvalid: (tag: string, err: unknown) => void = () => {}): AsyncGenerator<TagStateSnapshot> {
  let after = '';
  for (;;) {
    const rows = await store.query<{ tag: string; state: string }>(
      `SELECT tag, state FROM ${store.table('tag_state')} FINAL WHERE deleted = 0 AND tag > {after:String} ORDER BY tag LIMIT ${PAGE_ROWS}`,
      { after },
    );
    for (const row of rows) {
      let state: unknown;
      try {
        state = JSON.parse(row.state);
      } catch (cause) {
        onInvalid(row.tag, new ValidationError(ErrorCodes.STORE_ROW_INVALID, `tag_state of ${row.tag} is not JSON`, { cause }));
        continue;
      }
      yield { tag: row.tag, state };
    }
    if (rows.length < PAGE_ROWS) return;
    after = (rows[rows.length - 1] as { tag: string }).tag;
  }
}
