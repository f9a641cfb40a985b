import type { ChecklistItem } from '../../../shared/checklists/checklists.schemas.ts';
import type { Site } from '../../../shared/sites/sites.schemas.ts';
import { systemCtx } from '../../lib/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ChecklistService } from '../checklists/checklists.service.ts';
import type { TaskService } from '../tasks/tasks.service.ts';

/**
 * The demo office's work in progress: tasks (some overdue, some recurring), two checklist runs (a
 * completed fire-safety inspection with a failed item turned into a task, a comms test under way), and
 * through them the notifications their owners would have received. Written through the services, so
 * the audit trail, the search index and the inboxes are what real use would leave.
 */
export async function addDemoWork(deps: {
  tasks: TaskService;
  checklists: ChecklistService;
  clock: Clock;
  officeId: string;
  sites: Site[];
  people: { officer: string; head: string; staff: string };
}): Promise<{ tasks: number; runs: number }> {
  const { tasks, checklists, clock, officeId, sites, people } = deps;
  const ctx = systemCtx;
  const day = 86_400_000;
  const at = (days: number, hour = 9) => {
    const d = new Date(clock.now().getTime() + days * day);
    d.setUTCHours(hour - 4, 0, 0, 0); // office hours in Tbilisi (UTC+4)
    return d.toISOString();
  };
  const main = sites.find((s) => s.kind === 'office_premises');
  const residence = sites.find((s) => s.kind === 'residence_compound');
  const store = sites.find((s) => s.kind === 'warehouse');
  const subject = (s: Site | undefined) => (s ? { entityType: 'site', entityId: s.id } : null);

  const plain = [
    {
      title: 'Replace batteries in the VHF handsets',
      description: 'Six handsets failed to hold charge during the last radio check; spares are in the equipment store.',
      ownerUserId: people.officer,
      dueAt: at(3),
      priority: 'high' as const,
      subject: subject(store),
    },
    {
      title: 'Renew the fire-extinguisher service contract',
      description: 'The contract with the servicing company ended last month; get two quotes.',
      ownerUserId: people.head,
      dueAt: at(-5),
      priority: 'normal' as const,
    },
    {
      title: 'Update the staff contact tree after the new arrivals',
      ownerUserId: people.officer,
      dueAt: at(10),
      priority: 'normal' as const,
    },
    {
      title: 'Brief the new driver on the route-reconnaissance form',
      ownerUserId: people.staff,
      dueAt: at(2),
      priority: 'normal' as const,
    },
    {
      title: 'Check the residence compound CCTV recorder (gaps in last week’s footage)',
      ownerUserId: people.officer,
      dueAt: at(-1),
      priority: 'urgent' as const,
      subject: subject(residence),
    },
    {
      title: 'Test the generator under load',
      ownerUserId: people.officer,
      dueAt: at(-8),
      priority: 'normal' as const,
      subject: subject(main),
      done: true,
    },
  ];
  let count = 0;
  for (const { done, ...t } of plain.map((p) => ({ done: false, ...p }))) {
    const task = await tasks.create(ctx, { officeId, ...t });
    count++;
    if (done) await tasks.update(ctx, task.id, { version: task.version, status: 'done' });
  }
  const recurring = [
    { title: 'Weekly radio check with all call signs', rrule: 'FREQ=WEEKLY;BYDAY=MO', dueAt: at(2, 10) },
    { title: 'Monthly generator test', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', dueAt: at(4, 11) },
    { title: 'Yearly review of the office security plan', rrule: 'FREQ=YEARLY', dueAt: at(40) },
  ];
  for (const r of recurring) {
    await tasks.create(ctx, {
      officeId,
      title: r.title,
      ownerUserId: people.officer,
      dueAt: r.dueAt,
      priority: 'normal',
      recurrence: { rrule: r.rrule },
    });
    count++;
  }

  // Checklists: the built-in templates, one inspection completed with a finding, one comms test under way.
  await checklists.ensureBuiltInTemplates();
  const templates = (await checklists.listTemplates(ctx, officeId, { sort: 'name', limit: 50 })).items;
  const byKey = (key: string) => templates.find((t) => t.builtinKey === key);
  let runs = 0;
  const fire = byKey('fire-safety');
  if (fire) {
    const template = await checklists.getTemplate(ctx, fire.id);
    let run = await checklists.startRun(ctx, officeId, {
      templateId: fire.id,
      siteId: main?.id ?? null,
      startedAt: at(-3, 10),
      performedBy: 'Levan Sample (Security Officer)',
      location: 'Main premises, all floors',
    });
    for (const item of template.items) {
      const value = item.id === 'extinguishers-serviced' ? 'no' : passingAnswer(item);
      if (value === undefined) continue;
      run = await checklists.answer(ctx, run.id, item.id, {
        value,
        ...(item.id === 'extinguishers-serviced'
          ? { note: 'Two CO2 units near the server room: tags expired in August.' }
          : {}),
      });
    }
    run = await checklists.complete(ctx, run.id, run.version);
    await checklists.taskFromItem(ctx, run.id, 'extinguishers-serviced', {
      ownerUserId: people.officer,
      dueAt: at(7),
      priority: 'high',
    });
    count++;
    runs++;
  }
  const comms = byKey('emergency-comms-monthly');
  if (comms) {
    const template = await checklists.getTemplate(ctx, comms.id);
    let run = await checklists.startRun(ctx, officeId, {
      templateId: comms.id,
      performedBy: 'Mariam Placeholder',
      location: 'Radio room',
    });
    for (const item of template.items.slice(0, 3)) {
      const value = passingAnswer(item);
      if (value !== undefined) run = await checklists.answer(ctx, run.id, item.id, { value });
    }
    runs++;
  }
  return { tasks: count, runs };
}

/** An answer that passes the item, or undefined for items a demo does not fill (photos). */
function passingAnswer(item: ChecklistItem): string | number | undefined {
  switch (item.type) {
    case 'yes_no_na':
      return 'yes';
    case 'number':
      return item.min ?? item.max ?? 1;
    case 'choice':
      return item.options.find((o) => !o.failing)?.value;
    case 'text':
      return 'Nothing further to report.';
    default:
      return undefined;
  }
}
