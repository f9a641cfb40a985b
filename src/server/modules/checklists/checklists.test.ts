import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { systemCtx } from '../../lib/auth.ts';

type Headers = { cookie: string };

describe.each(testEngines())('checklists on %s', (engine) => {
  let t: TestApp;
  let officer: Headers;
  let officerId: string;
  let staff: Headers;
  let head: Headers;
  let outsider: Headers;
  let officeId: string;
  let otherOfficeId: string;
  let siteId: string;

  beforeAll(async () => {
    t = await buildTestApp(engine);
    officeId = (await makeOffice(t.services, { code: 'CHK' })).id;
    otherOfficeId = (await makeOffice(t.services, { code: 'CHX' })).id;
    siteId = (await t.services.sites.create(systemCtx, officeId, { name: 'Residence 2', kind: 'other', country: 'GE' }))
      .id;
    const o = await signedInAs(t, 'security_officer', ['CHK']);
    officer = o.headers;
    officerId = o.user.id;
    staff = (await signedInAs(t, 'staff', ['CHK'])).headers;
    head = (await signedInAs(t, 'head_of_office', ['CHK'])).headers;
    outsider = (await signedInAs(t, 'security_officer', ['CHX'])).headers;
  });
  afterAll(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  const generatorCheck = {
    name: 'Generator weekly check',
    nameFr: 'Contrôle hebdomadaire du groupe électrogène',
    items: [
      { id: 'runs', label: 'Generator starts within 10 seconds', type: 'yes_no_na', required: true },
      { id: 'fuel', label: 'Fuel level', type: 'number', unit: '%', min: 50, max: 100, required: true },
      { id: 'hours', label: 'Hour meter reading', type: 'number', unit: 'h' },
      {
        id: 'oil',
        label: 'Oil condition',
        type: 'choice',
        options: [
          { value: 'ok', label: 'Clean' },
          { value: 'dark', label: 'Dark' },
          { value: 'missing', label: 'Below minimum', failing: true },
        ],
      },
      { id: 'photo', label: 'Photo of the control panel', type: 'photo' },
      { id: 'notes', label: 'Notes', type: 'text' },
    ],
  };

  async function makeTemplate(headers = officer, office = officeId) {
    const res = await call('POST', `/api/v1/offices/${office}/checklist-templates`, headers, generatorCheck);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  async function startRun(templateId: string, headers: Headers = staff, extra: object = {}) {
    const res = await call('POST', `/api/v1/offices/${officeId}/checklist-runs`, headers, {
      templateId,
      location: 'Generator shed behind the office',
      latitude: 41.71,
      longitude: 44.77,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  const answer = (runId: string, itemId: string, body: object, headers: Headers = staff) =>
    call('PUT', `/api/v1/checklist-runs/${runId}/answers/${itemId}`, headers, body);

  it('ships three global templates, seeded once, in English with French titles', async () => {
    const first = await t.services.checklists.ensureBuiltInTemplates();
    expect(first.sort()).toEqual(['emergency-comms-monthly', 'fire-safety', 'office-physical-security']);
    expect(await t.services.checklists.ensureBuiltInTemplates()).toEqual([]);
    const list = await call('GET', `/api/v1/offices/${officeId}/checklist-templates?limit=50`, staff);
    expect(list.statusCode).toBe(200);
    const builtIn = list.json().items.filter((i: { builtinKey: string | null }) => i.builtinKey);
    expect(builtIn).toHaveLength(3);
    for (const tpl of builtIn) {
      expect(tpl.officeId).toBeNull();
      expect(tpl.nameFr).toBeTruthy();
      expect(tpl.itemCount).toBeGreaterThan(10);
    }
    const comms = builtIn.find((b: { builtinKey: string }) => b.builtinKey === 'emergency-comms-monthly');
    const full = (await call('GET', `/api/v1/checklist-templates/${comms.id}`, staff)).json();
    const battery = full.items.find((i: { id: string }) => i.id === 'satphone-battery');
    expect(battery).toMatchObject({ type: 'number', unit: '%', min: 80, max: 100, required: true });
    expect(full.items.every((i: { labelFr: string | null }) => i.labelFr)).toBe(true);
    // Global templates are changed only by roles that see every office.
    const edit = await call('PATCH', `/api/v1/checklist-templates/${comms.id}`, officer, { name: 'x', version: 1 });
    expect(edit.statusCode).toBe(403);
  });

  it('versions a template once a run has used it; runs keep the version they started with', async () => {
    const tpl = await makeTemplate();
    expect(tpl).toMatchObject({ templateVersion: 1, version: 1, itemCount: 6, officeId });
    // No run yet: edited in place.
    const inPlace = await call('PATCH', `/api/v1/checklist-templates/${tpl.id}`, officer, {
      name: 'Generator check',
      version: 1,
    });
    expect(inPlace.json()).toMatchObject({ name: 'Generator check', templateVersion: 1, version: 2 });
    const run1 = await startRun(tpl.id);
    expect(run1).toMatchObject({ templateVersion: 1, title: 'Generator check', status: 'in_progress' });
    // Now the change makes version 2.
    const items = [
      ...generatorCheck.items,
      { id: 'battery', label: 'Starter battery voltage', type: 'number', unit: 'V', min: 12.2, max: 14.8 },
    ];
    const v2 = await call('PATCH', `/api/v1/checklist-templates/${tpl.id}`, officer, { items, version: 2 });
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.json()).toMatchObject({ templateVersion: 2, version: 3, itemCount: 7 });
    const stale = await call('PATCH', `/api/v1/checklist-templates/${tpl.id}`, officer, { name: 'Stale', version: 2 });
    expect(stale.statusCode).toBe(409);
    const again = (await call('GET', `/api/v1/checklist-runs/${run1.id}`, staff)).json();
    expect(again.templateVersion).toBe(1);
    expect(again.items).toHaveLength(6);
    const run2 = await startRun(tpl.id);
    expect(run2.templateVersion).toBe(2);
    expect(run2.items).toHaveLength(7);
    const old = (await call('GET', `/api/v1/checklist-templates/${tpl.id}?templateVersion=1`, staff)).json();
    expect(old.items).toHaveLength(6);
    expect((await call('GET', `/api/v1/checklist-templates/${tpl.id}?templateVersion=9`, staff)).statusCode).toBe(404);
  });

  it('checks answers, requires the required items, fails out-of-range numbers and scores the run', async () => {
    const tpl = await makeTemplate();
    const run = await startRun(tpl.id, staff, { siteId });
    expect(run).toMatchObject({ siteId, latitude: 41.71, performedBy: expect.stringContaining('staff') });
    expect(run.missingRequired).toEqual(['runs', 'fuel']);

    const bad = await answer(run.id, 'fuel', { value: 'lots' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.value');
    expect((await answer(run.id, 'oil', { value: 'purple' })).statusCode).toBe(400);
    expect((await answer(run.id, 'nope', { value: 'yes' })).statusCode).toBe(404);

    let r = (await answer(run.id, 'runs', { value: 'yes' })).json();
    // Complete with a required item missing: 422 naming it.
    const early = await call('POST', `/api/v1/checklist-runs/${run.id}/complete`, staff, { version: r.version });
    expect(early.statusCode).toBe(422);
    expect(early.json().errors).toEqual([{ path: 'items.fuel', message: 'Fuel level', code: 'required' }]);
    expect(early.json().detail).toMatch(/Fuel level/);

    r = (await answer(run.id, 'fuel', { value: 35, note: 'Delivery late this week' })).json();
    expect(r.answers.find((a: { itemId: string }) => a.itemId === 'fuel')).toMatchObject({
      value: 35,
      outcome: 'fail',
      version: 1,
    });
    // A phone re-sending the same answer (lost response) is harmless; a different one needs the version.
    expect((await answer(run.id, 'fuel', { value: 35, note: 'Delivery late this week' })).statusCode).toBe(200);
    const conflict = await answer(run.id, 'fuel', { value: 40 });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().currentVersion).toBe(1);
    r = (await answer(run.id, 'fuel', { value: 30, note: 'Delivery late this week', version: 1 })).json();
    r = (await answer(run.id, 'hours', { value: 1234 })).json();
    r = (await answer(run.id, 'oil', { value: 'dark' })).json();
    r = (await answer(run.id, 'notes', { value: '', na: true })).json();
    expect(r.progress).toEqual({ answered: 5, total: 6, passed: 2, failed: 1, applicable: 3 });
    expect(r.score).toBe(66.7);
    expect(r.failedItems).toEqual([{ itemId: 'fuel', label: 'Fuel level', taskId: null }]);
    // Clearing an answer.
    r = (await answer(run.id, 'notes', { value: null, version: 1 })).json();
    expect(r.answers.map((a: { itemId: string }) => a.itemId)).not.toContain('notes');

    const stale = await call('POST', `/api/v1/checklist-runs/${run.id}/complete`, staff, { version: 1 });
    expect(stale.statusCode).toBe(409);
    const done = await call('POST', `/api/v1/checklist-runs/${run.id}/complete`, staff, { version: r.version });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', score: 66.7, failedCount: 1 });
    // The office's security officer is told (the staff member who ran it is not told of their own run).
    const inbox = (await call('GET', '/api/v1/notifications?unread=true', officer)).json();
    expect(inbox.items.find((n: { kind: string; entityId: string }) => n.entityId === run.id)).toMatchObject({
      kind: 'checklist.failed_item',
      entityType: 'checklist_run',
    });
    expect((await call('GET', '/api/v1/notifications', staff)).json().items).toEqual([]);
    expect((await answer(run.id, 'hours', { value: 1, version: 1 })).statusCode).toBe(409);
    const list = await call(
      'GET',
      `/api/v1/offices/${officeId}/checklist-runs?status=completed&siteId=${siteId}`,
      head,
    );
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([run.id]);
  });

  it('takes a photo answer only from an attachment of the same run', async () => {
    const tpl = await makeTemplate();
    const run = await startRun(tpl.id);
    const boundary = 'xyz123';
    const png = await (await import('sharp'))
      .default({ create: { width: 4, height: 4, channels: 3, background: 'gray' } })
      .png()
      .toBuffer();
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="panel.png"\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/attachments?entityType=checklist_run&entityId=${run.id}`,
      headers: { ...staff, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const photo = await answer(run.id, 'photo', { value: up.json().id });
    expect(photo.statusCode).toBe(200);
    const other = await startRun(tpl.id);
    expect((await answer(other.id, 'photo', { value: up.json().id })).statusCode).toBe(400);
    expect((await answer(other.id, 'photo', { value: crypto.randomUUID() })).statusCode).toBe(400);
  });

  it('turns a failed item into a task once: 201, then the same task with 200', async () => {
    const tpl = await makeTemplate();
    const run = await startRun(tpl.id);
    await answer(run.id, 'runs', { value: 'no', note: 'Starter motor clicks, no crank' });
    await answer(run.id, 'fuel', { value: 80 });
    const url = (item: string) => `/api/v1/checklist-runs/${run.id}/items/${item}/task`;
    // Staff may run checklists but not create tasks.
    expect((await call('POST', url('runs'), staff, {})).statusCode).toBe(403);
    expect((await call('POST', url('fuel'), officer, {})).statusCode).toBe(422);
    expect((await call('POST', url('hours'), officer, {})).statusCode).toBe(422);
    const body = { ownerUserId: officerId, dueAt: '2026-12-05T17:00:00.000Z', priority: 'high' };
    const first = await call('POST', url('runs'), officer, body);
    expect(first.statusCode, first.body).toBe(201);
    const task = first.json();
    expect(task).toMatchObject({
      officeId,
      title: 'Generator starts within 10 seconds',
      ownerUserId: officerId,
      priority: 'high',
      subject: { entityType: 'checklist_run', entityId: run.id },
    });
    expect(task.description).toMatch(/Answer: no \(expected: yes\)/);
    expect(task.description).toMatch(/Starter motor clicks/);
    const second = await call('POST', url('runs'), head, {});
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(task.id);
    const view = (await call('GET', `/api/v1/checklist-runs/${run.id}`, staff)).json();
    expect(view.failedItems).toEqual([
      { itemId: 'runs', label: 'Generator starts within 10 seconds', taskId: task.id },
    ]);
    const tasks = (
      await call('GET', `/api/v1/offices/${officeId}/tasks?subjectType=checklist_run&subjectId=${run.id}`, officer)
    ).json();
    expect(tasks.items.map((i: { id: string }) => i.id)).toEqual([task.id]);
  });

  it('lets staff run checklists but not edit templates', async () => {
    const tpl = await makeTemplate();
    expect(
      (await call('POST', `/api/v1/offices/${officeId}/checklist-templates`, staff, generatorCheck)).statusCode,
    ).toBe(403);
    expect(
      (await call('PATCH', `/api/v1/checklist-templates/${tpl.id}`, staff, { name: 'x', version: 1 })).statusCode,
    ).toBe(403);
    expect((await call('DELETE', `/api/v1/checklist-templates/${tpl.id}?version=1`, staff)).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/checklist-templates/${tpl.id}`, staff)).statusCode).toBe(200);
    const run = await startRun(tpl.id, staff);
    // The head of office reads but does not run.
    expect((await answer(run.id, 'runs', { value: 'yes' }, head)).statusCode).toBe(403);
    expect((await answer(run.id, 'runs', { value: 'yes' }, staff)).statusCode).toBe(200);
  });

  it("keeps another office's templates and runs out of sight (404)", async () => {
    const tpl = await makeTemplate();
    const run = await startRun(tpl.id);
    for (const [method, url, body] of [
      ['GET', `/api/v1/checklist-templates/${tpl.id}`],
      ['PATCH', `/api/v1/checklist-templates/${tpl.id}`, { name: 'x', version: 1 }],
      ['DELETE', `/api/v1/checklist-templates/${tpl.id}?version=1`],
      ['GET', `/api/v1/checklist-runs/${run.id}`],
      ['PUT', `/api/v1/checklist-runs/${run.id}/answers/runs`, { value: 'yes' }],
      ['POST', `/api/v1/checklist-runs/${run.id}/complete`, { version: 1 }],
      ['POST', `/api/v1/checklist-runs/${run.id}/items/runs/task`, {}],
      ['GET', `/api/v1/offices/${officeId}/checklist-runs`],
      ['GET', `/api/v1/offices/${officeId}/checklist-templates`],
      ['POST', `/api/v1/offices/${officeId}/checklist-runs`, { templateId: tpl.id }],
    ] as const) {
      const res = await call(method, url, outsider, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    // Nor can a run in their own office use this office's template.
    const res = await call('POST', `/api/v1/offices/${otherOfficeId}/checklist-runs`, outsider, { templateId: tpl.id });
    expect(res.statusCode).toBe(404);
    // Nor a site of another office.
    const theirTpl = await makeTemplate(outsider, otherOfficeId);
    const wrongSite = await call('POST', `/api/v1/offices/${otherOfficeId}/checklist-runs`, outsider, {
      templateId: theirTpl.id,
      siteId,
    });
    expect(wrongSite.statusCode).toBe(404);
  });

  it('rejects malformed templates with field errors', async () => {
    for (const items of [
      [],
      [{ label: 'x', type: 'number', min: 5, max: 1 }],
      [{ label: 'x', type: 'choice', options: [{ value: 'a', label: 'A' }] }],
      [{ label: 'x', type: 'yes_no_na', unit: 'kg' }],
      [
        { id: 'a', label: 'x', type: 'text' },
        { id: 'a', label: 'y', type: 'text' },
      ],
      [{ label: 'x', type: 'video' }],
    ]) {
      const res = await call('POST', `/api/v1/offices/${officeId}/checklist-templates`, officer, {
        name: 'Bad',
        items,
      });
      expect(res.statusCode, JSON.stringify(items)).toBe(400);
      expect(res.json().errors[0].path).toMatch(/^body\.items/);
    }
  });
});
