#!/usr/bin/env node
// npm run kafka -- start|stop|status|fetch
//   fetch   download the broker's jars from Maven Central into .kafka/libs (cached)
//   start   start a single-node broker in .kafka/dev (detached) and print its bootstrap address
//   stop    stop it (SIGTERM, then wait); `stop --clean` also deletes its data
//   status  print the bootstrap address of the running broker, exit 1 when none
import { DEV_BROKER_DIR, brokerStatus, ensureKafkaLibs, startBroker, stopBroker } from './kafka-broker.mjs';

const [command = 'status', ...rest] = process.argv.slice(2);
const log = (line) => process.stderr.write(`kafka: ${line}\n`);

try {
  switch (command) {
    case 'fetch':
      ensureKafkaLibs({ log });
      log('jars ready');
      break;
    case 'start': {
      const info = await startBroker({ dir: DEV_BROKER_DIR, detached: true, log });
      log(`log: ${info.logFile}`);
      log(`use it with: export KAFKA_BROKERS=${info.brokers}`);
      process.stdout.write(`${info.brokers}\n`);
      break;
    }
    case 'stop': {
      const stopped = await stopBroker({ dir: DEV_BROKER_DIR, remove: rest.includes('--clean') });
      log(stopped ? 'stopped' : 'no broker was running');
      break;
    }
    case 'status': {
      const info = brokerStatus({ dir: DEV_BROKER_DIR });
      if (info === undefined) {
        log('not running');
        process.exitCode = 1;
      } else {
        log(`Apache Kafka ${info.version}, pid ${info.pid}`);
        process.stdout.write(`${info.brokers}\n`);
      }
      break;
    }
    default:
      log(`unknown command "${command}"; use start, stop [--clean], status or fetch`);
      process.exitCode = 2;
  }
} catch (err) {
  log(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
