import type { AlertPayloadV1 } from './payload.ts';

const KIND_TITLES: Record<string, string> = {
  burst: 'Burst',
  coordinated: 'Coordinated push',
  spam: 'Spam',
};

/** Slack mrkdwn treats these three as markup; everything else passes through. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * The body for a Slack-compatible incoming webhook: one `text` message carrying the same facts
 * as payload v1, readable on a phone at night.
 */
export function slackMessage(payload: AlertPayloadV1): { text: string } {
  const { flag, metrics } = payload;
  const title = KIND_TITLES[flag.kind] ?? flag.kind;
  const verb = payload.type === 'flag.opened' ? 'New' : 'Update';
  const lines = [
    `*${verb}: ${escapeMrkdwn(title)} on #${escapeMrkdwn(flag.tag)}* (score ${flag.score.toFixed(2)}, revision ${flag.revision})`,
    escapeMrkdwn(flag.evidence.summary),
    `Window ${flag.window.start} – ${flag.window.end}; ${flag.authors.count} account${flag.authors.count === 1 ? '' : 's'} implicated.`,
  ];
  if (metrics !== null) {
    lines.push(
      `Minute ${metrics.minute}: ${metrics.posts} posts by ${metrics.unique_authors} authors, velocity ${metrics.velocity.toFixed(1)}/min, z ${metrics.zscore.toFixed(1)}.`,
    );
  }
  lines.push(`<${payload.links.tag}|Open #${escapeMrkdwn(flag.tag)} in tagwatch> · event ${payload.event_id}`);
  return { text: lines.join('\n') };
}
