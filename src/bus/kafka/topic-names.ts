import { Streams, type StreamName } from '../types.ts';

const byTopicSuffix = new Map<string, StreamName>(Object.values(Streams).map((s) => [s, s]));

/** Topic and group names under one prefix (`tagwatch.` by default; tests use a random one). */
export class TopicNames {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  topic(stream: StreamName): string {
    return `${this.prefix}${stream}`;
  }

  /** The stream a topic carries, or undefined for a foreign topic. */
  stream(topic: string): StreamName | undefined {
    if (!topic.startsWith(this.prefix)) return undefined;
    return byTopicSuffix.get(topic.slice(this.prefix.length));
  }

  group(stageName: string): string {
    return `${this.prefix}${stageName}`;
  }

  transactionalId(stageName: string, workerId: string): string {
    return `${this.prefix}${stageName}.${workerId}`;
  }
}
