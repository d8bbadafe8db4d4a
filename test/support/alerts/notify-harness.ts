import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AlertsOptionsSchema, NotifyStage, type AlertsOptionsInput } from '../../../src/alerts/index.ts';
import { Streams, type BusRecord } from '../../../src/bus/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import type { Flag, TagMinute, WebhookDelivery } from '../../../src/model/index.ts';
import { ManualClock } from './manual-clock.ts';
import { RecordingProducer } from './recording-producer.ts';

export interface HarnessOptions {
  alerts: AlertsOptionsInput;
  clock?: ManualClock;
  outboxDir?: string;
  log?: Logger;
  random?: () => number;
}

/** A NotifyStage on a temporary outbox, driven by a manual clock, its outputs recorded. */
export class NotifyHarness {
  readonly clock: ManualClock;
  readonly out = new RecordingProducer();
  readonly outboxDir: string;
  stage!: NotifyStage;
  #ownsDir: boolean;
  #options: HarnessOptions;

  private constructor(clock: ManualClock, outboxDir: string, ownsDir: boolean, options: HarnessOptions) {
    this.#options = options;
    this.clock = clock;
    this.outboxDir = outboxDir;
    this.#ownsDir = ownsDir;
  }

  static async start(options: HarnessOptions): Promise<NotifyHarness> {
    const ownsDir = options.outboxDir === undefined;
    const dir = options.outboxDir ?? (await mkdtemp(join(tmpdir(), 'tw-alerts-')));
    const harness = new NotifyHarness(options.clock ?? new ManualClock(), dir, ownsDir, options);
    harness.stage = await NotifyStage.open({
      alerts: AlertsOptionsSchema.parse(options.alerts),
      outboxDir: dir,
      log: options.log ?? silentLogger(),
      clock: harness.clock,
      scheduler: harness.clock,
      random: options.random ?? (() => 0.5),
      output: harness.out,
    });
    return harness;
  }

  async flags(...flags: Flag[]): Promise<void> {
    await this.stage.process({ stream: Streams.flags, partition: 0, records: flags.map((value) => ({ key: value.tag, value })) }, this.out);
  }

  async minutes(...minutes: TagMinute[]): Promise<void> {
    await this.stage.process({ stream: Streams.metrics, partition: 0, records: minutes.map((value) => ({ key: value.tag, value })) }, this.out);
  }

  deliveries(): WebhookDelivery[] {
    return this.out.values(Streams.deliveries);
  }

  deadLetters(): Array<BusRecord<'dlq'>['value']> {
    return this.out.values(Streams.deadLetters);
  }

  /** Waits until `n` delivery records (attempts) have been reported in total and the dispatcher has scheduled what follows. */
  async untilDeliveries(n: number): Promise<void> {
    await this.out.until(() => this.deliveries().length >= n);
    await this.stage.dispatcher.whenIdle();
  }

  /** Fires the dispatcher's next scheduled attempt by moving the clock to it. */
  advanceToNextAttempt(): number {
    const at = this.stage.dispatcher.nextAttemptAt();
    if (at === undefined) throw new Error('no attempt scheduled');
    this.clock.advanceTo(at);
    return at;
  }

  /** Closes the stage and opens a new one on the same outbox and clock (a process restart); the new harness owns the directory. */
  async restart(): Promise<NotifyHarness> {
    await this.stage.close();
    const next = await NotifyHarness.start({ ...this.#options, clock: this.clock, outboxDir: this.outboxDir });
    next.#ownsDir = this.#ownsDir;
    this.#ownsDir = false;
    return next;
  }

  async close(): Promise<void> {
    await this.stage.close();
    if (this.#ownsDir) await rm(this.outboxDir, { recursive: true, force: true });
  }
}
