import { PostSchema, resolveTags, type PostInput } from '../../../src/model/index.ts';
import { Simulation, type SimOptionsInput, type Truth } from '../../../src/sim/index.ts';

export interface SimRun {
  posts: PostInput[];
  truth: Truth;
}

/** Runs a simulation to the end in memory (tests use short spans). */
export function runSimulation(input: SimOptionsInput): SimRun {
  const sim = new Simulation(input);
  const posts = [...sim.posts()];
  return { posts, truth: sim.truth() };
}

/** The normalized tags of a wire post, as ingest will see them. */
export function tagsOf(post: PostInput): string[] {
  return resolveTags(post.text, post.tags).map((t) => t.tag);
}

export function validate(post: unknown): PostInput {
  return PostSchema.parse(post);
}

/** No hard cases, no campaigns: options for tests that build one thing at a time. */
export const NO_EVENTS = {
  hardCases: { breakingNews: { count: 0 }, celebrityRepost: { count: 0 }, liveEvent: { count: 0 }, loneSpammer: { count: 0 } },
  campaigns: { count: [0, 0] as [number, number] },
} satisfies Partial<SimOptionsInput>;
