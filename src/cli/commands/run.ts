import { Command } from 'commander';
import type { Logger } from 'pino';
import { moduleLogger } from '../../log/index.ts';
import { startService } from '../../runtime/index.ts';
import { abortOnShutdownSignals } from '../shutdown-signals.ts';
import { addPipelineFlags, configFromFlags, flushLogs, type PipelineFlags } from './common-options.ts';

interface RunFlags extends PipelineFlags {
  role: string;
}

export function registerRunCommand(program: Command): void {
  addPipelineFlags(
    program
      .command('run')
      .description('run tagwatch as a long-lived service: the sources in the config file, the pipeline, alerts, web UI')
      .option('--role <roles>', 'what this process does: collect, ingest, analyze, notify, sink, web, or all (comma-separated)', 'all'),
  ).action(async (flags: RunFlags) => {
    const { config, log } = await configFromFlags(flags);
    const shutdown = abortOnShutdownSignals(log);
    try {
      const service = await startService(config, log, flags.role);
      try {
        await service.run(shutdown.signal);
      } finally {
        await service.close();
      }
    } catch (err) {
      moduleLogger(log, 'run').error({ err }, 'service failed');
      throw err;
    } finally {
      shutdown.dispose();
      await flushLogs(log);
      exitIfLingering(log);
    }
  });
}

/** How long a closed service may take to let the process end by itself. */
const LINGER_GRACE_MS = 2_000;

/**
 * Everything the service owns is closed and the logs are flushed; a library can still leave a
 * socket or timer behind (kafkajs did after a broker restart, with consumers it had restarted
 * itself), and a stopped worker that never exits blocks a supervisor's restart. The timer is
 * unref'd: a process with nothing left ends before it fires.
 */
function exitIfLingering(log: Logger): void {
  setTimeout(() => {
    const resources = process.getActiveResourcesInfo().filter((r) => r !== 'Timeout');
    moduleLogger(log, 'run').warn({ resources }, 'service closed but the process is still held open; exiting');
    log.flush(() => process.exit());
  }, LINGER_GRACE_MS).unref();
}
