import type { Insertable } from 'kysely';
import type { Executor } from '../src/server/db/database.ts';
import type { IncidentsTable } from '../src/server/db/tables/incidents.ts';
import { systemCtx } from '../src/server/lib/auth.ts';
import { newId } from '../src/server/lib/ids.ts';
import type { Services } from '../src/server/services.ts';
import { TEST_START } from './build-test-app.ts';

let seq = 0;

/**
 * An incident row as the core module writes it, for tests of the parts that only read incidents
 * (investigation, fixtures of the permission matrix). Not sensitive, category `cyber:phishing`.
 */
export async function makeIncidentRow(
  db: Executor,
  officeId: string,
  overrides: Partial<Insertable<IncidentsTable>> = {},
): Promise<string> {
  seq++;
  const id = newId();
  await db
    .insertInto('incidents')
    .values({
      id,
      office_id: officeId,
      reference: `FIX-2026-${String(seq).padStart(3, '0')}-${id.slice(-6)}`,
      ref_year: 2026,
      // Far from the core's own numbering, so its allocation never collides with a fixture.
      ref_seq: 900_000 + seq,
      title: `Phishing wave ${seq}`,
      narrative: null,
      domain: 'cyber',
      category: 'cyber:phishing',
      determination: 'confirmed',
      severity: 3,
      status: 'investigating',
      status_before_pause: null,
      paused_seconds: 0,
      paused_since: null,
      occurred_at: null,
      detected_at: null,
      reported_at: TEST_START,
      acknowledged_at: null,
      contained_at: null,
      hq_notified_at: null,
      hq_acknowledged_at: null,
      resolved_at: null,
      closed_at: null,
      country: 'GE',
      city: null,
      site_id: null,
      location_type: null,
      location_text: null,
      latitude: null,
      longitude: null,
      report_channel: 'app',
      reporter_user_id: null,
      reporter_name: null,
      owner_user_id: null,
      reviewer_user_id: null,
      reviewed_at: null,
      review_note: null,
      affected_assets: '[]',
      observables: '[]',
      impacts: '{}',
      actor_type: null,
      anyone_hurt: null,
      help_needed: null,
      tlp: 'amber',
      classification: null,
      sensitive: 0,
      closing_summary: null,
      lessons_learned: null,
      duplicate_of: null,
      client_key: null,
      created_by: null,
      created_at: TEST_START,
      updated_at: TEST_START,
      version: 1,
      ...overrides,
    })
    .execute();
  return id;
}

/** One record of each investigation kind on an incident: a timeline entry, evidence, a communication, a link to a site. */
export async function makeInvestigationRecords(services: Services, incidentId: string, siteId: string) {
  const inv = services.investigation;
  const timelineEntry = (
    await inv.addTimelineEntry(systemCtx, incidentId, {
      occurredAt: '2026-11-27T10:00:00.000Z',
      description: 'Fixture event',
      source: 'officer',
    })
  ).id;
  const evidence = (
    await inv.addEvidence(systemCtx, incidentId, {
      label: 'Fixture evidence',
      kind: 'physical',
      acquiredAt: '2026-11-27T11:00:00.000Z',
    })
  ).id;
  const communication = (
    await inv.addCommunication(systemCtx, incidentId, {
      recipient: 'HQ security',
      channel: 'phone',
      summary: 'Fixture communication',
    })
  ).id;
  const link = (await inv.addLink(systemCtx, incidentId, { targetType: 'site', targetId: siteId })).id;
  return { timelineEntry, evidence, communication, link };
}
