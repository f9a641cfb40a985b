import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A server process started by the suite, its output going to a log file (as in production, not a pipe). */
export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** Spawn → the expected number of ready lines in the log, in ms. */
  readyMs: number;
  /** The ready lines, parsed. */
  readyLines: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** A free loopback port (bound and released; the server binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node <script>` with `env`, stdout and stderr to `logFile`, and waits until `readyCount` JSON
 * lines whose msg matches `readyMsg` are in the log (two for a cluster of two workers).
 */
export async function startServer(opts: {
  script: string;
  env: Record<string, string>;
  logFile: string;
  port: number;
  readyMsg: string;
  readyCount?: number;
  timeoutMs?: number;
  cwd: string;
  /** Node flags before the script (the built server's, for Outpost). */
  nodeArgs?: string[];
}): Promise<ServerProcess> {
  const fd = openSync(opts.logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.script], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, PORT: String(opts.port), HOST: '127.0.0.1' },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const want = opts.readyCount ?? 1;
  const deadline = started + (opts.timeoutMs ?? 30_000);
  let readyLines: Record<string, unknown>[] = [];
  while (readyLines.length < want) {
    if (done) throw new Error(`${opts.script} exited before it was ready; see ${opts.logFile}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${opts.script} was not ready within ${opts.timeoutMs ?? 30_000} ms; see ${opts.logFile}`);
    }
    await sleep(5);
    readyLines = readReadyLines(opts.logFile, opts.readyMsg);
  }
  const readyMs = performance.now() - started;
  return {
    child,
    pid: child.pid as number,
    port: opts.port,
    readyMs,
    readyLines,
    async stop() {
      if (done) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function readReadyLines(file: string, msg: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes(msg)) continue;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (parsed.msg === msg) out.push(parsed);
    } catch {
      /* not a JSON line */
    }
  }
  return out;
}

/** The process and its descendants (a cluster's workers), from /proc. */
export function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command may contain spaces and parentheses: fields follow the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      /* gone meanwhile */
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++)
    for (const [pid, ppid] of parent) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  return tree;
}

/** A field of /proc/<pid>/status in MiB (VmRSS now, VmHWM the peak so far). */
export function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sums VmRSS over a process tree every `everyMs`; `stop()` returns the samples. */
export function sampleRss(root: number, everyMs = 100): { stop(): number[]; peak(): number } {
  let pids = processTree(root);
  const samples: number[] = [];
  let ticks = 0;
  const take = () => {
    if (++ticks % 20 === 0) pids = processTree(root);
    samples.push(pids.reduce((sum, pid) => sum + statusMiB(pid, 'VmRSS'), 0));
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
    peak: () => Math.max(...samples),
  };
}
