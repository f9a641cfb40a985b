import { describe, expect, it } from 'vitest';
import { groupBy, IN_CHUNK, inChunks } from './batches.ts';

describe('batched reads', () => {
  it('reads distinct ids in chunks of at most IN_CHUNK, rows in order', async () => {
    const ids = Array.from({ length: IN_CHUNK * 2 + 5 }, (_, i) => `id${i}`);
    const sizes: number[] = [];
    const rows = await inChunks([...ids, 'id0', 'id1'], async (chunk) => {
      sizes.push(chunk.length);
      return chunk.map((id) => ({ id }));
    });
    expect(sizes).toEqual([IN_CHUNK, IN_CHUNK, 5]);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(await inChunks([], async () => [1])).toEqual([]);
  });

  it('groups rows by a key, keeping their order within a group', () => {
    const g = groupBy(
      [
        { k: 'a', n: 1 },
        { k: 'b', n: 2 },
        { k: 'a', n: 3 },
      ],
      'k',
    );
    expect([...g.keys()]).toEqual(['a', 'b']);
    expect(g.get('a')?.map((r) => r.n)).toEqual([1, 3]);
  });
});
