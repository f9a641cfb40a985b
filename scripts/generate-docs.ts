// npm run docs: writes docs/permissions.md and docs/openapi.json from the code.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderPermissionMatrix } from '../src/server/docs.ts';
import { buildTestApp } from '../test/build-test-app.ts';
import { ROOT } from './web-build.js';

const t = await buildTestApp('sqlite');
try {
  writeFileSync(path.join(ROOT, 'docs/permissions.md'), renderPermissionMatrix(t.app.routeTable));
  writeFileSync(path.join(ROOT, 'docs/openapi.json'), `${JSON.stringify(t.app.swagger(), null, 2)}\n`);
  process.stdout.write('wrote docs/permissions.md and docs/openapi.json\n');
} finally {
  await t.close();
}
