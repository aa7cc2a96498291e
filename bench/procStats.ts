// CPU time and resident memory of another process, read from /proc (Linux), and an RSS sampler for load runs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

const TICKS_PER_SECOND = clockTicksPerSecond();
const BYTES_PER_MB = 1024 * 1024;

/** User + system CPU time the process has used so far, in milliseconds (every thread: JS, GC, libuv). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; fields after it start at `state` (field 3 of man 5 proc).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** Resident set size in MB (VmRSS). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return (Number(kb) * 1024) / BYTES_PER_MB;
}

export interface RssSampler {
  /** Stops sampling; the largest RSS seen, in MB. */
  stop(): number;
}

/** Samples the RSS of `pid` every `intervalMs` until stopped. */
export function sampleRss(pid: number, intervalMs = 100): RssSampler {
  let max = rssMb(pid);
  const timer = setInterval(() => {
    max = Math.max(max, rssMb(pid));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(max, rssMb(pid));
    },
  };
}
