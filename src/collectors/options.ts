import { z } from 'zod';
import { JetstreamSourceOptionsSchema } from './jetstream/options.ts';
import { SourceNameSchema } from './live/options.ts';
import { MastodonSourceOptionsSchema } from './mastodon/options.ts';
import { ReplayOptionsSchema } from './replay/options.ts';
import { XSourceOptionsSchema } from './x/options.ts';

/** A replay file as a source of `tagwatch run` (the same options as `tagwatch replay`). */
export const ReplaySourceOptionsSchema = z.strictObject({
  type: z.literal('replay'),
  name: SourceNameSchema.optional(),
  ...ReplayOptionsSchema.shape,
});

/** One entry of the config's `sources` list, chosen by `type`. */
export const SourceOptionsSchema = z.discriminatedUnion(
  'type',
  [JetstreamSourceOptionsSchema, MastodonSourceOptionsSchema, XSourceOptionsSchema, ReplaySourceOptionsSchema],
  {
    error: (issue) =>
      issue.code === 'invalid_union' && issue.note === 'No matching discriminator'
        ? `unknown source type; allowed types: ${(issue.options as unknown[]).map(String).join(', ')}`
        : undefined,
  },
);

/** The sources `tagwatch run` starts; names (default: the type) must be unique. */
export const SourcesOptionsSchema = z.array(SourceOptionsSchema).superRefine((sources, ctx) => {
  const seen = new Map<string, number>();
  sources.forEach((source, i) => {
    const name = source.name ?? source.type;
    const first = seen.get(name);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'name'],
        message: `source name "${name}" is already used by sources.${first}; give each source of the same type its own name`,
      });
    } else {
      seen.set(name, i);
    }
  });
});

export type SourceOptions = z.output<typeof SourceOptionsSchema>;
export type SourceType = SourceOptions['type'];
export type ReplaySourceOptions = z.output<typeof ReplaySourceOptionsSchema>;
