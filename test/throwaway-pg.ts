import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A PostgreSQL server of the test's own (initdb in a temp dir), to stop and start under load. Needs root. */
const PGBIN = '/usr/lib/postgresql/15/bin';

export function canRunThrowawayPostgres(): boolean {
  return process.getuid?.() === 0 && existsSync(`${PGBIN}/initdb`);
}

export function throwawayPostgres(port: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-pg-'));
  chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const asPg = (cmd: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', `${PGBIN}/${cmd}`, ...args], { stdio: 'pipe' });
  asPg('initdb', ['-D', `${dir}/data`, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const start = () =>
    asPg('pg_ctl', [
      '-D',
      `${dir}/data`,
      '-l',
      `${dir}/log`,
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  const stop = (mode = 'fast') => asPg('pg_ctl', ['-D', `${dir}/data`, '-m', mode, '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      try {
        stop('immediate');
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
