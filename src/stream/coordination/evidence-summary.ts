import type { ClusterFacts } from './types.ts';

/**
 * One plain-language sentence an analyst can read without the numbers behind it:
 * "87 accounts, 74% created in the last 30 days, posted 3 near-identical texts with #tag within 6 minutes".
 */
export function summarizeCluster(facts: ClusterFacts, display: string, youngDays: number, lowFollowers: number): string {
  const parts: string[] = [`${facts.accounts.toLocaleString('en-US')} accounts`];
  if (facts.youngShare >= 0.2) parts.push(`${percent(facts.youngShare)} created in the last ${youngDays} days`);
  if (facts.lowFollowerShare >= 0.3) parts.push(`${percent(facts.lowFollowerShare)} with fewer than ${lowFollowers} followers`);
  if (facts.createdCloseShare >= 0.5 && facts.accounts >= 3) parts.push(`${percent(facts.createdCloseShare)} created within the same week`);
  const actions: string[] = [];
  if (facts.copypastaTexts > 0) {
    actions.push(
      `posted ${facts.copypastaTexts} near-identical ${plural(facts.copypastaTexts, 'text')} ${facts.copypastaPosts} times with #${display} within ${duration(facts.spanMs)}`,
    );
  }
  if (facts.paraphraseAccounts > 0) {
    actions.push(`${facts.paraphraseAccounts} of them posted paraphrases of the same message again and again (${facts.paraphrasePairs} account pairs)`);
  }
  if (facts.ringPairs > 0) {
    const sources = facts.ringSources > 0 ? ` of ${facts.ringSources} source ${plural(facts.ringSources, 'account')}` : '';
    actions.push(`reposted the same posts${sources} together within seconds, again and again (${facts.ringPairs} account pairs)`);
  }
  if (facts.swarmAccounts > 0 && facts.ringPairs === 0) {
    const source = facts.ringSources > 0 ? ` of ${facts.ringSources} source ${plural(facts.ringSources, 'account')}` : '';
    actions.push(`${facts.swarmAccounts} of them reposted the same ${plural(facts.swarmPosts, 'post')}${source} within seconds of each other`);
  }
  if (facts.coActivityPairs > 0) {
    actions.push(`acted on #${display} within seconds of each other far more often than chance (${facts.coActivityPairs} account pairs)`);
  }
  if (facts.pushAccounts > 0 && facts.pushShared) {
    actions.push(
      `${facts.pushAccounts} of them posted with #${display} again and again at one shared interval (about every ${duration(facts.pushMedianGapMs)}), ${percent(facts.pushShare)} of its posts since they began`,
    );
  } else if (facts.pushAccounts > 0) {
    actions.push(
      `${facts.pushAccounts} of them produced ${percent(facts.pushShare)} of #${display} posts at machine-regular intervals (about every ${duration(facts.pushMedianGapMs)})`,
    );
  }
  return `${parts.join(', ')}${actions.length > 0 ? `, ${actions.join('; ')}` : ''}`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/** A human span: "45 seconds", "6 minutes", "2.5 hours". */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} ${plural(seconds, 'second')}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  const hours = Math.round((seconds / 3600) * 10) / 10;
  return `${hours} hours`;
}
