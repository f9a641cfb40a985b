import { describe, expect, it } from 'vitest';
import { testDatabase, testEngines } from '../../../../test/test-db.ts';
import { DERIVED_TABLES, TABLES } from './backup.service.ts';

describe.each(testEngines())('backup coverage on %s', (engine) => {
  it('backs up every table the migrations create (a new table must be added to TABLES)', async () => {
    const tdb = await testDatabase(engine);
    try {
      const tables = (await tdb.database.db.introspection.getTables())
        .filter((t) => !t.name.startsWith('kysely_') && (engine === 'sqlite' || t.schema === tdb.database.pgSchema))
        .filter((t) => !DERIVED_TABLES.includes(t.name))
        .map((t) => t.name)
        .sort();
      expect([...TABLES].sort()).toEqual(tables);
    } finally {
      await tdb.cleanup();
    }
  });
});
