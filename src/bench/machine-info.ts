import { execFileSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import type { MachineInfo } from './types.ts';

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** CPU, cores, Node and the commit of the checkout at `repoDir`. */
export function machineInfo(repoDir: string): MachineInfo {
  const cpu = cpus();
  const status = git(['status', '--porcelain', '--untracked-files=no'], repoDir);
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    totalMemoryBytes: totalmem(),
    node: process.version,
    platform: `${platform()} ${release()}`,
    commit: git(['rev-parse', 'HEAD'], repoDir) ?? 'unknown',
    dirty: status === undefined ? false : status.length > 0,
  };
}
