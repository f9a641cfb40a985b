import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem.ts';

/**
 * Request bodies are never inflated. Fastify does not decode a `Content-Encoding`, so a gzip body would
 * reach the JSON or multipart parser as garbage ("not valid JSON"); the honest answer is 415 (RFC 9110
 * §15.5.16), said before anything reads the body. Adding decompression later would also need a limit
 * on the inflated size, or a 250 KB gzip bomb becomes gigabytes in memory.
 */
export function refuseEncodedBodies(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    const coding = req.headers['content-encoding'];
    if (coding === undefined) return;
    // Only a body can be encoded: a GET that carries the header with no body is answered as usual.
    const length = req.headers['content-length'];
    if (req.headers['transfer-encoding'] === undefined && (length === undefined || length.trim() === '0')) return;
    const codings = coding
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== '' && c !== 'identity');
    if (codings.length === 0) return;
    return sendProblem(reply, req, {
      type: 'unsupported-media-type',
      title: 'Unsupported media type',
      status: 415,
      detail: `Content-Encoding ${codings.join(', ').slice(0, 40)} is not accepted: send the body uncompressed.`,
    });
  });
}
