import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { collectorOutput } from '../../collectors/collector-output.ts';
import { ReplayCollector, ReplayOptionsSchema, parseReplaySpeed, type ReplayProgress } from '../../collectors/replay/index.ts';
import { moduleLogger } from '../../log/index.ts';
import { openPipeline } from '../../runtime/index.ts';
import { abortOnShutdownSignals } from '../shutdown-signals.ts';
import { addPipelineFlags, configFromFlags, flushLogs, type PipelineFlags } from './common-options.ts';

interface ReplayFlags extends PipelineFlags {
  speed: string;
  progress: boolean;
}

export function registerReplayCommand(program: Command): void {
  addPipelineFlags(
    program
      .command('replay')
      .description('replay a JSONL(.gz) file of posts in event time through the pipeline')
      .argument('<file>', 'normalized-post JSONL, optionally gzip-compressed (.gz)')
      .option('--speed <n|max>', 'event-time speed-up (60 plays an hour in a minute), or max', 'max')
      .option('--no-progress', 'no progress bar, even on a terminal'),
  ).action(async (file: string, flags: ReplayFlags) => {
    const { config, log } = await configFromFlags(flags);
    const speed = parseReplaySpeed(flags.speed);
    const shutdown = abortOnShutdownSignals(log);
    const pipeline = await openPipeline(config, log, {});
    const started = Date.now();
    const bar = flags.progress && process.stderr.isTTY ? progressBar() : undefined;
    const collector = new ReplayCollector(ReplayOptionsSchema.parse({ file, speed }), moduleLogger(log, 'replay'), {
      onProgress: (p) => {
        bar?.setTotal(Math.max(1, p.totalBytes));
        bar?.update(p.bytesRead, progressPayload(p, started));
      },
    });
    bar?.start(1, 0, { rate: '0' });
    try {
      const stats = await collector.run(collectorOutput(pipeline.producer), shutdown.signal);
      if (!shutdown.signal.aborted) await pipeline.finish();
      bar?.update(collector.progress().bytesRead, progressPayload(collector.progress(), started));
      bar?.stop();
      const figures = pipeline.figures();
      const seconds = (Date.now() - started) / 1000;
      const outcome =
        figures === undefined
          ? `sent ${stats.posts} to Kafka (validated by the ingest workers), dead-lettered ${stats.deadLettered} unreadable lines`
          : `accepted ${figures.accepted}` +
            (figures.duplicates > 0 ? `, ${figures.duplicates} duplicates dropped` : '') +
            `, dead-lettered ${stats.deadLettered + figures.invalid}`;
      process.stderr.write(
        `replay ${shutdown.signal.aborted ? 'stopped' : 'finished'}: read ${stats.frames} records, ${outcome}, ` +
          `in ${seconds.toFixed(1)} s (${Math.round(stats.frames / Math.max(seconds, 0.001))} posts/s)\n`,
      );
    } finally {
      bar?.stop();
      await pipeline.close();
      shutdown.dispose();
      await flushLogs(log);
    }
  });
}

function progressBar(): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    { format: 'replay |{bar}| {percentage}% | {rate} posts/s | ETA {eta_formatted}', hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
}

function progressPayload(p: ReplayProgress, started: number): { rate: string } {
  const seconds = Math.max((Date.now() - started) / 1000, 0.001);
  return { rate: String(Math.round(p.stats.frames / seconds)) };
}
