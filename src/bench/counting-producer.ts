import type { BusRecord, Producer, StreamName } from '../bus/index.ts';

/** A Producer that forgets what it is given and counts it per stream: the cheapest possible downstream. */
export class CountingProducer implements Producer {
  readonly counts: Partial<Record<StreamName, number>> = {};

  send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    this.counts[stream] = (this.counts[stream] ?? 0) + records.length;
    return Promise.resolve();
  }
}
