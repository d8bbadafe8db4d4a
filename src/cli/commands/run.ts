import { Command } from 'commander';
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
    }
  });
}
