import { execFile } from 'node:child_process';
import { AppError } from '../../lib/errors.ts';

/** 413: the upload is over ATTACHMENT_MAX_BYTES. */
export class PayloadTooLarge extends AppError {
  readonly status = 413;
  readonly type: string = 'payload-too-large';
  readonly title: string = 'File too large';
}

/** 415: the request is not multipart/form-data. */
export class UnsupportedMediaType extends AppError {
  readonly status = 415;
  readonly type: string = 'unsupported-media-type';
  readonly title: string = 'Unsupported media type';
}

/** 422: understood, but refused (a file the virus scanner flags). */
export class Unprocessable extends AppError {
  readonly status = 422;
  readonly type: string = 'unprocessable';
  readonly title: string = 'Cannot be accepted';
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

const MAX_NAME = 200;

/**
 * The uploader's file name made safe to show and to offer as a download name. It is never used as a
 * path (blobs are stored by hash). Drops any directory part, control characters (NUL included) and
 * bidirectional-override characters (so `invoice‮fdp.exe` cannot pose as a PDF), collapses white
 * space, and shortens very long names while keeping the extension.
 */
export function sanitiseFilename(raw: string | undefined | null): string {
  let name = (raw ?? '').normalize('NFC');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  name = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  name = name.replace(/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(/\s+/g, ' ').trim();
  name = name.replace(/^\.+/, '').trim();
  const chars = [...name];
  if (chars.length > MAX_NAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? [...name.slice(dot)] : [];
    const keep = ext.length > 0 && ext.length <= 16 ? ext : [];
    name = chars.slice(0, MAX_NAME - keep.length).join('') + keep.join('');
  }
  return name || 'attachment';
}

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266 / RFC 8187). */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_') || 'attachment';
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The virus-scanning hook point: every upload passes through it before it is stored. */
export interface AttachmentScanner {
  scan(path: string): Promise<{ clean: boolean; reason?: string }>;
}

/** The default: no scanner configured, every file is accepted. */
export const acceptAllScanner: AttachmentScanner = { scan: async () => ({ clean: true }) };

export class ScannerFailed extends AppError {
  readonly status = 503;
  readonly type: string = 'unavailable';
  readonly title: string = 'Service unavailable';
}

/**
 * A scanner that runs a command (ATTACHMENT_SCAN_COMMAND, e.g. `clamdscan --no-summary`) with the file's
 * path as its last argument, without a shell: exit 0 is clean, exit 1 is infected (its output is the
 * reason), anything else is a scanner failure and the upload is refused (fail closed).
 */
export function commandScanner(command: string, timeoutMs = 120_000): AttachmentScanner {
  const [bin, ...args] = command.trim().split(/\s+/);
  if (!bin) throw new Error('ATTACHMENT_SCAN_COMMAND is empty');
  return {
    scan: (file) =>
      new Promise((resolve, reject) => {
        execFile(bin, [...args, file], { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
          if (!err) return resolve({ clean: true });
          const code: unknown = (err as { code?: unknown }).code;
          if (code === 1) {
            const reason = `${stdout}`.trim().split('\n').slice(0, 5).join(' ').replaceAll(file, '<file>');
            return resolve({ clean: false, reason: reason.slice(0, 500) || 'rejected by the scanner' });
          }
          reject(
            new ScannerFailed(
              `The virus scanner could not check the file (${typeof code === 'number' ? `exit ${code}` : String(code ?? err.message)}${stderr ? `: ${`${stderr}`.trim().slice(0, 200)}` : ''}); nothing was stored.`,
            ),
          );
        });
      }),
  };
}
