import { createHash, randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const SHA256 = /^[0-9a-f]{64}$/;

export function isSha256(s: string): boolean {
  return SHA256.test(s);
}

/** A file received into the temporary area: hashed and measured while it streamed in, not yet stored. */
export interface StagedFile {
  tmpPath: string;
  sha256: string;
  size: number;
  /** True when the stream was cut at the size limit. */
  truncated: boolean;
  discard(): Promise<void>;
}

/**
 * Content-addressed storage under DATA_DIR/blobs/<aa>/<bb>/<sha256>. The path is derived from the hash
 * only (checked to be 64 hex digits), never from anything a user sent; identical content is stored once.
 * Blobs are immutable: written to a temporary file in the same file system, then renamed into place.
 */
export function createBlobStore(dataDir: string) {
  const root = path.join(dataDir, 'blobs');
  const tmpDir = path.join(dataDir, 'tmp', 'uploads');

  function pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256.slice(0, 80)}`);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async function exists(sha256: string): Promise<boolean> {
    try {
      return (await stat(pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  async function fsyncFile(file: string): Promise<void> {
    const fh = await open(file, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** Moves a temporary file (same file system) into place under its hash; a duplicate is simply dropped. */
  async function commitFile(tmpPath: string, sha256: string): Promise<void> {
    const dest = pathOf(sha256);
    if (await exists(sha256)) {
      await rm(tmpPath, { force: true });
      return;
    }
    await mkdir(path.dirname(dest), { recursive: true });
    await fsyncFile(tmpPath);
    await rename(tmpPath, dest);
  }

  async function hashFile(file: string): Promise<string> {
    const h = createHash('sha256');
    await pipeline(createReadStream(file), h);
    return h.digest('hex');
  }

  return {
    root,
    pathOf,
    exists,

    /** Streams `source` into a temporary file, hashing and counting as it goes (never buffered whole). */
    async stage(source: Readable, isTruncated: () => boolean): Promise<StagedFile> {
      await mkdir(tmpDir, { recursive: true });
      const tmpPath = path.join(tmpDir, `${randomUUID()}.part`);
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      });
      const discard = () => rm(tmpPath, { force: true });
      try {
        await pipeline(source, meter, createWriteStream(tmpPath, { flags: 'wx' }));
      } catch (err) {
        await discard();
        throw err;
      }
      return { tmpPath, sha256: hash.digest('hex'), size, truncated: isTruncated(), discard };
    },

    async commit(staged: StagedFile): Promise<string> {
      await commitFile(staged.tmpPath, staged.sha256);
      return staged.sha256;
    },

    /** Stores a small buffer (thumbnails) and returns its hash. */
    async putBuffer(data: Buffer): Promise<string> {
      const sha256 = createHash('sha256').update(data).digest('hex');
      if (await exists(sha256)) return sha256;
      await mkdir(tmpDir, { recursive: true });
      const tmpPath = path.join(tmpDir, `${randomUUID()}.part`);
      const fh = await open(tmpPath, 'wx');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await mkdir(path.dirname(pathOf(sha256)), { recursive: true });
      await rename(tmpPath, pathOf(sha256));
      return sha256;
    },

    openRead(sha256: string): ReadStream {
      return createReadStream(pathOf(sha256));
    },

    /** The SHA-256 of the stored file as it is now, or null when it is missing. */
    async rehash(sha256: string): Promise<string | null> {
      if (!(await exists(sha256))) return null;
      return hashFile(pathOf(sha256));
    },

    hashFile,

    /** Every blob in the store (hashes), for backups. */
    async list(): Promise<string[]> {
      return listBlobs(root);
    },

    /**
     * Copies blobs into another store directory (a backup's `<file>.blobs/`, or back on restore):
     * content-addressed, so files already there are skipped; each copy is checked against its name.
     */
    async copyTo(targetRoot: string, hashes: Iterable<string>) {
      return copyBlobs(root, targetRoot, hashes);
    },
  };
}

export type BlobStore = ReturnType<typeof createBlobStore>;

function blobPath(root: string, sha256: string): string {
  return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** The hashes stored under a blob directory laid out as <aa>/<bb>/<sha256> (other files are ignored). */
export async function listBlobs(root: string): Promise<string[]> {
  const out: string[] = [];
  let level1: string[];
  try {
    level1 = await readdir(root);
  } catch {
    return out;
  }
  for (const a of level1.filter((d) => /^[0-9a-f]{2}$/.test(d)).sort()) {
    const level2 = await readdir(path.join(root, a)).catch(() => [] as string[]);
    for (const b of level2.filter((d) => /^[0-9a-f]{2}$/.test(d)).sort()) {
      const files = await readdir(path.join(root, a, b)).catch(() => [] as string[]);
      for (const f of files.sort()) if (SHA256.test(f) && f.startsWith(a + b)) out.push(f);
    }
  }
  return out;
}

/**
 * Copies blobs from one blob directory to another, skipping those already present. Each copy is
 * re-hashed before it is renamed into place, so a damaged source is reported rather than spread.
 */
export async function copyBlobs(
  fromRoot: string,
  toRoot: string,
  hashes: Iterable<string>,
): Promise<{ copied: number; skipped: number; damaged: string[] }> {
  let copied = 0;
  let skipped = 0;
  const damaged: string[] = [];
  for (const sha of hashes) {
    if (!SHA256.test(sha)) continue;
    const dest = blobPath(toRoot, sha);
    if (
      await stat(dest)
        .then((s) => s.isFile())
        .catch(() => false)
    ) {
      skipped++;
      continue;
    }
    await mkdir(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.${randomUUID()}.part`;
    const src = blobPath(fromRoot, sha);
    // Regular files only, never a symlink: a backup directory could hold a link, named by the hash of
    // some file on this machine (/etc/passwd), that the copy would otherwise bring into the store.
    if (!(await lstat(src).catch(() => undefined))?.isFile()) {
      damaged.push(sha);
      continue;
    }
    try {
      // A real copy (a copy-on-write clone where the file system offers one), never a hard link: a
      // backup must not share its bytes with the live store.
      await copyFile(src, tmp, constants.COPYFILE_FICLONE);
      const h = createHash('sha256');
      await pipeline(createReadStream(tmp), h);
      if (h.digest('hex') !== sha) {
        damaged.push(sha);
        await rm(tmp, { force: true });
        continue;
      }
      await rename(tmp, dest);
      copied++;
    } catch (err) {
      await rm(tmp, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        damaged.push(sha);
        continue;
      }
      throw err;
    }
  }
  return { copied, skipped, damaged };
}
