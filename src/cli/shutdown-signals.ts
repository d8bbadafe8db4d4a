import type { Logger } from 'pino';

/**
 * Turns the first SIGINT/SIGTERM into an abort (stop intake; the command then drains, flushes
 * and closes in order and exits 0). A second signal while shutting down exits at once with 130,
 * for the operator who really means it.
 */
export function abortOnShutdownSignals(log: Logger): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      log.warn({ signal: name }, 'second signal: exiting without a clean shutdown');
      process.exit(130);
    }
    log.info({ signal: name }, 'shutting down: stop intake, drain, flush, close');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
