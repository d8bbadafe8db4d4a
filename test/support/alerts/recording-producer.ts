import type { BusRecord, Producer, StreamName } from '../../../src/bus/index.ts';

/** A Producer that keeps what it is sent and lets a test await a condition on it. */
export class RecordingProducer implements Producer {
  readonly records = new Map<StreamName, BusRecord[]>();
  #waiters: Array<{ check: () => boolean; resolve: () => void }> = [];

  async send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    const list = this.records.get(stream) ?? [];
    list.push(...(records as ReadonlyArray<BusRecord>));
    this.records.set(stream, list);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  values<S extends StreamName>(stream: S): Array<BusRecord<S>['value']> {
    return (this.records.get(stream) ?? []).map((r) => r.value as BusRecord<S>['value']);
  }

  /** Resolves once `check` holds (checked now and after every send). */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ check, resolve }));
  }
}
