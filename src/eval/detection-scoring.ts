import { FlagKinds } from '../model/index.ts';
import { EvalOptionsSchema, type EvalOptions } from './options.ts';
import type { CampaignResult, EvalFlag, EvalReport, EvalTruth, HardCaseResult } from './types.ts';

/**
 * Scores detector flags against the simulator's labels. Pure: the same truth and flags give the
 * same report, with no store involved.
 *
 * - A campaign is detected when a `coordinated` flag on its tag first fires between the campaign's
 *   first post and `matchAfterEndMs` after its last; latency is that first firing minus the start.
 * - Account precision/recall/F1 compare the union of those flags' authors with the members. Several
 *   campaigns may push one tag (one flag per tag names them all): an account that belongs to
 *   another campaign on the same tag, overlapping in time, is not a false positive of this one
 *   (precision); recall counts this campaign's own members only.
 * - Tag precision counts distinct tags: a flagged tag is a true positive when one of its flags
 *   matched a campaign, otherwise one false positive however many flags it had.
 * - Hard cases count when a `coordinated` flag on their tag fires during them (or the same grace after).
 */
export function scoreDetections(truth: EvalTruth, flags: readonly EvalFlag[], options: Partial<EvalOptions> = {}): EvalReport {
  const { matchAfterEndMs } = EvalOptionsSchema.parse(options);
  const coordinated = flags.filter((f) => f.kind === FlagKinds.coordinated);
  const byTag = groupByTag(coordinated);
  const matchedFlagIds = new Set<string>();

  const campaigns: CampaignResult[] = truth.campaigns.map((campaign) => {
    const start = Date.parse(campaign.start);
    const end = Date.parse(campaign.end);
    const matching = (byTag.get(campaign.tag) ?? []).filter((f) => f.firstDetectedAt >= start && f.firstDetectedAt <= end + matchAfterEndMs);
    for (const f of matching) matchedFlagIds.add(f.flagId);
    const flagged = new Set(matching.flatMap((f) => f.authors));
    const members = new Set(campaign.members);
    const coordinatedOnTag = new Set(members);
    for (const other of truth.campaigns) {
      if (other === campaign || other.tag !== campaign.tag) continue;
      if (Date.parse(other.start) <= end + matchAfterEndMs && Date.parse(other.end) + matchAfterEndMs >= start) for (const id of other.members) coordinatedOnTag.add(id);
    }
    let truePositives = 0;
    let coordinatedFlagged = 0;
    for (const id of flagged) {
      if (members.has(id)) truePositives++;
      if (coordinatedOnTag.has(id)) coordinatedFlagged++;
    }
    const precision = flagged.size === 0 ? 0 : coordinatedFlagged / flagged.size;
    const recall = members.size === 0 ? 0 : truePositives / members.size;
    const first = matching.length === 0 ? null : Math.min(...matching.map((f) => f.firstDetectedAt));
    return {
      id: campaign.id,
      tag: campaign.tag,
      style: campaign.style,
      members: members.size,
      detected: matching.length > 0,
      latencySec: first === null ? null : (first - start) / 1000,
      flagged: flagged.size,
      truePositives,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      flagIds: matching.map((f) => f.flagId).sort(),
    };
  });

  const hardCases: HardCaseResult[] = truth.hardCases.map((hard) => {
    const start = Date.parse(hard.start);
    const end = Date.parse(hard.end) + matchAfterEndMs;
    const during = (f: EvalFlag): boolean => f.tag === hard.tag && f.firstDetectedAt <= end && f.detectedAt >= start;
    return {
      id: hard.id,
      tag: hard.tag,
      kind: hard.kind,
      coordinatedFlags: coordinated.filter(during).length,
      spamFlags: flags.filter((f) => f.kind === FlagKinds.spam && during(f)).length,
    };
  });

  const flaggedTags = [...byTag.keys()].sort();
  const truePositiveTags = flaggedTags.filter((tag) => (byTag.get(tag) ?? []).some((f) => matchedFlagIds.has(f.flagId)));
  const falsePositiveTags = flaggedTags.filter((tag) => !truePositiveTags.includes(tag));
  const latencies = campaigns.flatMap((c) => (c.latencySec === null ? [] : [c.latencySec])).sort((a, b) => a - b);
  const detected = campaigns.filter((c) => c.detected).length;
  return {
    seed: truth.seed ?? null,
    campaigns,
    hardCases,
    summary: {
      campaigns: campaigns.length,
      detected,
      campaignRecall: campaigns.length === 0 ? 1 : detected / campaigns.length,
      flaggedTags: flaggedTags.length,
      truePositiveTags: truePositiveTags.length,
      falsePositiveTags,
      tagPrecision: flaggedTags.length === 0 ? 1 : truePositiveTags.length / flaggedTags.length,
      accountPrecision: mean(campaigns.map((c) => c.precision)),
      accountRecall: mean(campaigns.map((c) => c.recall)),
      accountF1: mean(campaigns.map((c) => c.f1)),
      latencyMedianSec: quantile(latencies, 0.5),
      latencyP90Sec: quantile(latencies, 0.9),
      hardCaseFalsePositives: hardCases.filter((h) => h.coordinatedFlags > 0).length,
      coordinatedFlags: coordinated.length,
      spamFlags: flags.filter((f) => f.kind === FlagKinds.spam).length,
    },
  };
}

function groupByTag(flags: readonly EvalFlag[]): Map<string, EvalFlag[]> {
  const out = new Map<string, EvalFlag[]>();
  for (const flag of flags) {
    const list = out.get(flag.tag);
    if (list === undefined) out.set(flag.tag, [flag]);
    else list.push(flag);
  }
  return out;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 1 : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Nearest-rank quantile of sorted values (null when empty). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}
