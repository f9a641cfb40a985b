import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');

/** Runs in the worker: one read transaction, so the copy is one committed moment of the database. */
const WORKER = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  db.prepare('vacuum into ?').run(workerData.dest);
} finally {
  db.close();
}
`;

/**
 * Copies a live SQLite database to `dest` as it stands at one committed moment, beside the server's own
 * writes: `VACUUM INTO` on a read-only connection of its own (WAL lets it read while the server writes,
 * and it sees only committed data, never an open group commit — ADR 0013), in a worker thread so the
 * server keeps answering while the copy is made.
 */
export function snapshotSqlite(file: string, dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { module: BETTER_SQLITE3, file, dest } });
    let failed: unknown = null;
    worker.once('error', (err) => {
      failed = err;
    });
    worker.once('exit', (code) => {
      if (failed) reject(failed);
      else if (code !== 0) reject(new Error(`the snapshot worker stopped with code ${code}`));
      else resolve();
    });
  });
}
