import { z } from 'zod';

/**
 * Keyset pagination over flags ordered newest first: the cursor names the last flag of a page
 * (its `detectedAt` and id), so pages stay stable while new flags keep arriving.
 */
const CursorSchema = z.strictObject({ d: z.number().int().nonnegative(), id: z.string().min(1).max(256) });

export interface FlagCursor {
  detectedAt: number;
  flagId: string;
}

export function encodeFlagCursor(cursor: FlagCursor): string {
  return Buffer.from(JSON.stringify({ d: cursor.detectedAt, id: cursor.flagId }), 'utf8').toString('base64url');
}

/** Returns null when the text is not a cursor this server issued. */
export function decodeFlagCursor(text: string): FlagCursor | null {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = CursorSchema.safeParse(raw);
  return parsed.success ? { detectedAt: parsed.data.d, flagId: parsed.data.id } : null;
}
