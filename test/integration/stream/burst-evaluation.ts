import { parsePost, type Flag, type TagEvent, type TagMinute } from '../../../src/model/index.ts';
import { Simulation, type SimOptionsInput, type Truth, type TruthBurst } from '../../../src/sim/index.ts';
import { AnalyzeStage, type AnalyzeOptionsInput } from '../../../src/stream/index.ts';
import { RecordingProducer } from '../../unit/stream/stream-fixtures.ts';

/** A simulated stream as analyze input: one event per (post, tag), in file order. */
export function simulatedEvents(options: SimOptionsInput): { events: TagEvent[]; truth: Truth; posts: number } {
  const sim = new Simulation(options);
  const events: TagEvent[] = [];
  let posts = 0;
  for (const input of sim.posts()) {
    const post = parsePost(input);
    posts++;
    post.tags.forEach((tag, i) => events.push({ tag, display: post.tagDisplay[i] ?? tag, post }));
  }
  return { events, truth: sim.truth(), posts };
}

export interface AnalyzeRun {
  flags: Flag[];
  metrics: TagMinute[];
  /** Wall-clock ms spent in the stage (process + final flush). */
  ms: number;
  bytesPerLiveTag: number;
  liveTags: number;
  stage: AnalyzeStage;
}

/** Runs the analyze stage alone (no store) over `events` in batches of `batchSize`. */
export async function runAnalyze(events: readonly TagEvent[], options: AnalyzeOptionsInput = {}, batchSize = 2_000): Promise<AnalyzeRun> {
  const stage = new AnalyzeStage(options);
  const out = new RecordingProducer();
  let bytesPerLiveTag = 0;
  let liveTags = 0;
  const started = performance.now();
  for (let i = 0; i < events.length; i += batchSize) {
    const chunk = events.slice(i, i + batchSize);
    await stage.process({ stream: 'tag-events', partition: 0, records: chunk.map((e) => ({ key: e.tag, value: e })) }, out);
  }
  const beforeFlush = performance.now();
  bytesPerLiveTag = stage.bytesPerLiveTag();
  liveTags = stage.figures().liveTags;
  const flushStart = performance.now();
  await stage.flush(out, true);
  const ms = beforeFlush - started + (performance.now() - flushStart);
  return { flags: out.flags, metrics: out.metrics, ms, bytesPerLiveTag, liveTags, stage };
}

export interface BurstOutcome {
  burst: TruthBurst;
  /** The first burst flag that matched, or undefined when missed. */
  flag: Flag | undefined;
  /** detectedAt − onset, ms (negative: fired before the onset window began). */
  latencyMs: number | undefined;
}

export interface BurstEvaluation {
  outcomes: BurstOutcome[];
  recall: number;
  medianLatencyMs: number;
  /** Further episodes on a burst's tag while its event lasted (campaign waves): not false, not counted. */
  repeats: Flag[];
  /** Burst flags on no truth event. */
  falseFlags: Flag[];
}

/** A flag this long before a truth burst's first post, or this long after its onset, does not match it. */
const MATCH_BEFORE_MS = 10 * 60_000;
const MATCH_AFTER_MS = 30 * 60_000;

/**
 * Matches burst flags (revision 0: when each episode fired) to the simulator's truth bursts: a
 * flag on the burst's tag between 10 min before its first post and 30 min after its onset. Later
 * flags on the same tag before the event's end (+30 min) are repeats (a campaign's next wave).
 */
export function evaluateBursts(flags: readonly Flag[], truth: Truth): BurstEvaluation {
  const fired = flags.filter((f) => f.kind === 'burst' && f.revision === 0);
  const used = new Set<Flag>();
  const outcomes: BurstOutcome[] = truth.bursts.map((burst) => {
    const onset = Date.parse(burst.onset);
    const start = Date.parse(burst.start);
    const flag = fired.find((f) => !used.has(f) && f.tag === burst.tag && f.detectedAt >= start - MATCH_BEFORE_MS && f.detectedAt <= onset + MATCH_AFTER_MS);
    if (flag !== undefined) used.add(flag);
    return { burst, flag, latencyMs: flag === undefined ? undefined : flag.detectedAt - onset };
  });
  const spans = truth.bursts.map((b) => {
    const event = [...truth.campaigns, ...truth.hardCases].find((e) => e.id === b.ref);
    return { tag: b.tag, from: Date.parse(b.start) - MATCH_BEFORE_MS, to: Math.max(Date.parse(b.onset), Date.parse(event?.end ?? b.onset)) + MATCH_AFTER_MS };
  });
  const unmatched = fired.filter((f) => !used.has(f));
  const repeats = unmatched.filter((f) => spans.some((s) => s.tag === f.tag && f.detectedAt >= s.from && f.detectedAt <= s.to));
  const falseFlags = unmatched.filter((f) => !repeats.includes(f));
  const latencies = outcomes.flatMap((o) => (o.latencyMs === undefined ? [] : [o.latencyMs])).sort((a, b) => a - b);
  return {
    outcomes,
    recall: outcomes.length === 0 ? 1 : latencies.length / outcomes.length,
    medianLatencyMs: latencies.length === 0 ? Number.NaN : (latencies[Math.floor((latencies.length - 1) / 2)] as number),
    repeats,
    falseFlags,
  };
}
