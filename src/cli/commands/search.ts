import type { Command } from 'commander';
import { out, withRuntime } from '../runtime.ts';

export function registerSearch(program: Command): void {
  const search = program.command('search').description('the full-text search index');
  search
    .command('reindex')
    .description('rebuild the search index from the records (every registered record type, or those named with --type)')
    .option('--type <types...>', 'only these record types (e.g. office site)')
    .action(async (opts: { type?: string[] }) => {
      await withRuntime(async ({ services }) => {
        const started = Date.now();
        const counts = await services.search.reindex(opts.type);
        for (const [type, n] of Object.entries(counts)) out(`${type}: ${n} document(s) indexed`);
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        out(`Search index rebuilt: ${total} document(s) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      });
    });
  search
    .command('stats')
    .description('documents in the search index, per record type')
    .action(async () => {
      await withRuntime(async ({ services }) => {
        const counts = await services.search.counts();
        const types = Object.keys(counts).sort();
        if (types.length === 0) return out('The search index is empty.');
        for (const t of types) out(`${t}: ${counts[t]}`);
      });
    });
}
