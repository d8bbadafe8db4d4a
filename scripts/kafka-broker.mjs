// A single-node Apache Kafka (KRaft, broker+controller in one JVM) for development and tests.
// The jars come from Maven Central through kafka/pom.xml and are cached in .kafka/libs; each
// broker instance lives in its own directory (config, data, log, pid and address files).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const KAFKA_HOME = join(REPO_ROOT, '.kafka');
export const DEFAULT_LIBS_DIR = join(KAFKA_HOME, 'libs');
export const DEV_BROKER_DIR = join(KAFKA_HOME, 'dev');
const POM = join(REPO_ROOT, 'kafka', 'pom.xml');
const STAMP_FILE = '.tagwatch-stamp';

/** The Kafka version the pom asks for, or the KAFKA_VERSION override. */
export function kafkaVersion() {
  if (process.env.KAFKA_VERSION) return process.env.KAFKA_VERSION;
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!match) throw new Error(`no <kafka.version> in ${POM}`);
  return match[1];
}

function libsStamp() {
  return createHash('sha256').update(readFileSync(POM)).update(`\0${kafkaVersion()}`).digest('hex').slice(0, 16);
}

/**
 * Makes sure the broker's jars are in `libsDir`, downloading them with Maven when missing or
 * when the pom (or KAFKA_VERSION) changed. The download lands in a sibling directory that is
 * renamed into place, so an interrupted fetch never leaves a half-filled cache.
 */
export function ensureKafkaLibs({ libsDir = DEFAULT_LIBS_DIR, log = () => {} } = {}) {
  const stamp = libsStamp();
  const stampPath = join(libsDir, STAMP_FILE);
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8').trim() === stamp) return libsDir;
  const staging = `${libsDir}.fetch-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`fetching Apache Kafka ${kafkaVersion()} jars from Maven Central into ${libsDir}`);
  const args = ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`];
  if (process.env.KAFKA_VERSION) args.push(`-Dkafka.version=${process.env.KAFKA_VERSION}`);
  const result = spawnSync('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.error) throw new Error(`cannot run mvn (is Maven installed?): ${result.error.message}`);
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`mvn dependency:copy-dependencies failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  if (!readdirSync(staging).some((f) => f.startsWith('kafka_2.13-'))) throw new Error(`mvn left no kafka_2.13 jar in ${staging}`);
  writeFileSync(join(staging, STAMP_FILE), `${stamp}\n`);
  rmSync(libsDir, { recursive: true, force: true });
  try {
    renameSync(staging, libsDir);
  } catch (err) {
    // Another process filled the cache at the same moment: theirs is as good as ours.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(stampPath)) throw err;
  }
  return libsDir;
}

export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(address.port));
    });
  });
}

const LOG4J2 = `# Written by scripts/kafka-broker.mjs: the broker logs warnings and errors only.
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.state.name = state.change.logger
logger.state.level = ERROR
`;

function serverProperties({ dir, port, controllerPort, saslPort, sasl, overrides }) {
  const listeners = [`PLAINTEXT://127.0.0.1:${port}`, `CONTROLLER://127.0.0.1:${controllerPort}`];
  const advertised = [`PLAINTEXT://127.0.0.1:${port}`];
  const protocols = ['CONTROLLER:PLAINTEXT', 'PLAINTEXT:PLAINTEXT'];
  const saslProps = {};
  if (sasl) {
    // A second client listener with SASL/PLAIN, for testing the options managed clusters need.
    listeners.push(`SASL_PLAINTEXT://127.0.0.1:${saslPort}`);
    advertised.push(`SASL_PLAINTEXT://127.0.0.1:${saslPort}`);
    protocols.push('SASL_PLAINTEXT:SASL_PLAINTEXT');
    const q = (v) => JSON.stringify(String(v));
    saslProps['sasl.enabled.mechanisms'] = 'PLAIN';
    saslProps['listener.name.sasl_plaintext.plain.sasl.jaas.config'] =
      `org.apache.kafka.common.security.plain.PlainLoginModule required username=${q(sasl.username)} password=${q(sasl.password)} user_${sasl.username}=${q(sasl.password)};`;
  }
  const props = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.bootstrap.servers': `127.0.0.1:${controllerPort}`,
    listeners: listeners.join(','),
    'advertised.listeners': advertised.join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': protocols.join(','),
    ...saslProps,
    'log.dirs': join(dir, 'data'),
    'num.partitions': '1',
    'auto.create.topics.enable': 'false',
    // One broker: every internal topic has a single replica.
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '4',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '4',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'min.insync.replicas': '1',
    // Tests start and stop consumers all the time: no waiting for more members to join.
    'group.initial.rebalance.delay.ms': '0',
    'group.min.session.timeout.ms': '1000',
    // A crashed transactional worker blocks read_committed readers until its transaction
    // times out; producers ask for short timeouts, the broker must allow them.
    'transaction.abort.timed.out.transaction.cleanup.interval.ms': '2000',
    'log.retention.check.interval.ms': '60000',
    'log.cleaner.backoff.ms': '5000',
    ...overrides,
  };
  return `${Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

// (A background job's stdin is /dev/null in a non-interactive shell: the pipe is kept on fd 3.)
const TIED_TO_PARENT = [
  'exec 3<&0',
  '"$@" </dev/null & pid=$!',
  "trap 'kill -TERM $pid 2>/dev/null; wait $pid; exit 0' TERM INT",
  '( cat <&3 >/dev/null; kill -TERM $pid 2>/dev/null ) &',
  'wait $pid',
].join('\n');

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function java(libsDir, args) {
  return ['-cp', `${libsDir}/*`, ...args];
}

/**
 * Starts a broker in `dir` (created and formatted on first use; a formatted dir keeps its ports
 * and data, so stop + start is a broker restart). Resolves once the broker answers, with
 * `{ brokers, pid, dir, version }`. `detached` lets the broker outlive this process.
 * `sasl: { username, password }` adds a SASL/PLAIN listener (`saslBrokers`) beside the plain one.
 */
export async function startBroker({
  dir = DEV_BROKER_DIR,
  libsDir = DEFAULT_LIBS_DIR,
  detached = false,
  heapMb = 512,
  readyTimeoutMs = 90_000,
  sasl,
  overrides = {},
  log = () => {},
} = {}) {
  dir = resolve(dir);
  ensureKafkaLibs({ libsDir, log });
  mkdirSync(dir, { recursive: true });
  const infoPath = join(dir, 'broker.json');
  const running = readJson(infoPath);
  if (running && isAlive(running.pid)) {
    await waitUntilAnswering(running.brokers, readyTimeoutMs, running.pid, dir);
    return running;
  }
  const propsPath = join(dir, 'server.properties');
  const log4jPath = join(dir, 'log4j2.properties');
  let ports = readJson(join(dir, 'ports.json'));
  if (!ports || !existsSync(join(dir, 'data', 'meta.properties'))) {
    ports = { port: await freePort(), controllerPort: await freePort() };
    while (ports.controllerPort === ports.port) ports.controllerPort = await freePort();
    if (sasl) {
      ports.saslPort = await freePort();
      while (ports.saslPort === ports.port || ports.saslPort === ports.controllerPort) ports.saslPort = await freePort();
    }
    rmSync(join(dir, 'data'), { recursive: true, force: true });
    writeFileSync(join(dir, 'ports.json'), `${JSON.stringify(ports)}\n`);
    writeFileSync(propsPath, serverProperties({ dir, ...ports, sasl, overrides }));
    writeFileSync(log4jPath, LOG4J2);
    const clusterId = randomClusterId();
    const format = spawnSync(
      'java',
      java(libsDir, [`-Dlog4j2.configurationFile=${log4jPath}`, 'kafka.tools.StorageTool', 'format', '--standalone', '-t', clusterId, '-c', propsPath]),
      { encoding: 'utf8' },
    );
    if (format.status !== 0) throw new Error(`kafka storage format failed (exit ${format.status}):\n${format.stdout}\n${format.stderr}`);
    log(`formatted KRaft storage in ${join(dir, 'data')} (cluster ${clusterId})`);
  }
  const logPath = join(dir, 'broker.log');
  const out = openSync(logPath, 'a');
  const javaArgs = java(libsDir, [
    `-Xmx${heapMb}m`,
    `-Xms${Math.min(heapMb, 256)}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jPath}`,
    `-Dkafka.logs.dir=${dir}`,
    'kafka.Kafka',
    propsPath,
  ]);
  // A broker started for a test run must not outlive it when the runner dies without stopping
  // it: a small shell holds the broker and stops it when its stdin (a pipe from this process)
  // closes. SIGTERM to the shell is passed on and waited for. A detached broker has no such tie.
  const child = detached
    ? spawn('java', javaArgs, { detached: true, stdio: ['ignore', out, out] })
    : spawn('sh', ['-c', TIED_TO_PARENT, 'sh', 'java', ...javaArgs], { stdio: ['pipe', out, out] });
  closeSync(out);
  const brokers = `127.0.0.1:${ports.port}`;
  const info = { brokers, pid: child.pid, dir, version: kafkaVersion(), logFile: logPath };
  if (ports.saslPort) info.saslBrokers = `127.0.0.1:${ports.saslPort}`;
  writeFileSync(infoPath, `${JSON.stringify(info, null, 2)}\n`);
  writeFileSync(join(dir, 'broker.pid'), `${child.pid}\n`);
  if (detached) child.unref();
  try {
    await waitUntilAnswering(brokers, readyTimeoutMs, child.pid, dir);
  } catch (err) {
    await stopBroker({ dir }).catch(() => {});
    throw err;
  }
  log(`Apache Kafka ${info.version} answering on ${brokers} (pid ${child.pid})`);
  return info;
}

/** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (as StorageTool random-uuid prints). */
function randomClusterId() {
  // A base64url id may start with '-', which the storage tool's argument parser takes for an
  // option ("--cluster-id: expected one argument"); Kafka's own Uuid.randomUuid() skips those too.
  for (;;) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    const id = Buffer.from(bytes).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function waitUntilAnswering(brokers, timeoutMs, pid, dir) {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (pid && !isAlive(pid)) throw new Error(`broker exited during start-up; see ${join(dir, 'broker.log')}:\n${tail(join(dir, 'broker.log'))}`);
    const admin = new Kafka({ clientId: 'tagwatch-kafka-script', brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return cluster;
    } catch (err) {
      lastError = err;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`broker at ${brokers} did not answer within ${timeoutMs} ms: ${lastError?.message ?? 'no answer'}`);
}

function tail(path, lines = 30) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The running broker of `dir`, or undefined. */
export function brokerStatus({ dir = DEV_BROKER_DIR } = {}) {
  const info = readJson(join(resolve(dir), 'broker.json'));
  if (!info || !isAlive(info.pid)) return undefined;
  return info;
}

/**
 * Stops the broker of `dir`: SIGTERM (Kafka shuts down cleanly: controlled shutdown, flushes
 * logs), then waits; SIGKILL only if it has not exited after `timeoutMs`. `remove` deletes the dir.
 */
export async function stopBroker({ dir = DEV_BROKER_DIR, timeoutMs = 30_000, remove = false, signal = 'SIGTERM' } = {}) {
  dir = resolve(dir);
  const info = readJson(join(dir, 'broker.json'));
  let stopped = false;
  if (info && isAlive(info.pid)) {
    process.kill(info.pid, signal);
    const deadline = Date.now() + timeoutMs;
    while (isAlive(info.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(info.pid)) process.kill(info.pid, 'SIGKILL');
    while (isAlive(info.pid)) await new Promise((r) => setTimeout(r, 50));
    stopped = true;
  }
  rmSync(join(dir, 'broker.json'), { force: true });
  rmSync(join(dir, 'broker.pid'), { force: true });
  if (remove) rmSync(dir, { recursive: true, force: true });
  return stopped;
}
