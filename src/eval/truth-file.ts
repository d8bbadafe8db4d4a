import { readFile } from 'node:fs/promises';
import { ErrorCodes, TagwatchError } from '../errors/index.ts';
import { formatZodIssues } from '../model/index.ts';
import { TruthSchema, type Truth } from '../sim/truth.ts';

/** Reads and validates the simulator's truth file (`tagwatch simulate --truth FILE`). */
export async function readTruthFile(file: string): Promise<Truth> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new TagwatchError(ErrorCodes.FILE_READ, `cannot read truth file ${file}: ${(cause as Error).message}`, { input: file, cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TagwatchError(ErrorCodes.USAGE, `truth file ${file} is not JSON: ${(cause as Error).message}`, { input: file, cause });
  }
  const parsed = TruthSchema.safeParse(json);
  if (!parsed.success) {
    throw new TagwatchError(ErrorCodes.USAGE, `truth file ${file} does not match the simulator's truth schema: ${formatZodIssues(parsed.error)}`, { input: file });
  }
  return parsed.data;
}
