import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { IncidentListFilter } from '../../../shared/incidents/incidents.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type {
  IncidentCategoriesTable,
  IncidentCategoryRow,
  IncidentPersonsTable,
  IncidentRow,
} from '../../db/tables/incidents.ts';
import { type Cursor, containsText } from '../../lib/pagination.ts';

/** Sort keys of the API → the expression rows are ordered by (severity: unset sorts as 0). */
export const SORTS = {
  reportedAt: 'reported_at',
  severity: 'severity',
  status: 'status',
  reference: 'reference',
} as const;
export type SortKey = keyof typeof SORTS;

function sortExpr(key: SortKey) {
  return key === 'severity' ? sql<number>`coalesce(incidents.severity, 0)` : sql.ref<string>(`incidents.${SORTS[key]}`);
}

export function sortValue(key: SortKey, r: Pick<IncidentRow, (typeof SORTS)[SortKey]>): string | number {
  return key === 'severity' ? (r.severity ?? 0) : r[SORTS[key]];
}

/**
 * The columns of a list row (`IncidentSummary`): what the list, board and map show and the cursor sorts
 * by — never the narrative, closing texts or JSON columns, which make the bulk of a row.
 */
const SUMMARY_COLUMNS = [
  'incidents.id',
  'incidents.office_id',
  'incidents.reference',
  'incidents.title',
  'incidents.domain',
  'incidents.category',
  'incidents.severity',
  'incidents.status',
  'incidents.sensitive',
  'incidents.occurred_at',
  'incidents.reported_at',
  'incidents.site_id',
  'incidents.latitude',
  'incidents.longitude',
  'incidents.owner_user_id',
  'incidents.updated_at',
  'incidents.version',
] as const;
type Unqualified<C> = C extends `incidents.${infer K}` ? K : never;
export type IncidentSummaryRow = Pick<IncidentRow, Unqualified<(typeof SUMMARY_COLUMNS)[number]>>;

/** Who is listing: the visibility rule of incidents.access.ts, as SQL. */
export interface Viewer {
  /** null = the system: everything. */
  userId: string | null;
  /** Offices the caller sees (undefined = all). */
  officeIds: readonly string[] | undefined;
  /** Has `incident.read` (otherwise: only incidents they report, own or review). */
  canRead: boolean;
}

export function visible(v: Viewer) {
  return (eb: ExpressionBuilder<DB, 'incidents'>): Expression<SqlBool> => {
    if (v.userId === null) return sql<SqlBool>`1 = 1`;
    const me = v.userId;
    const mine = [
      eb('incidents.reporter_user_id', '=', me),
      eb('incidents.owner_user_id', '=', me),
      eb('incidents.reviewer_user_id', '=', me),
    ];
    if (!v.canRead) return eb.or(mine);
    if (v.officeIds !== undefined && v.officeIds.length === 0) return eb.or(mine);
    const inOffice =
      v.officeIds === undefined ? sql<SqlBool>`1 = 1` : eb('incidents.office_id', 'in', [...v.officeIds]);
    const notSensitiveOrNamed = eb.or([
      eb('incidents.sensitive', '=', 0),
      eb(
        'incidents.id',
        'in',
        eb
          .selectFrom('incident_access')
          .select('incident_access.incident_id')
          .where('incident_access.user_id', '=', me),
      ),
    ]);
    return eb.or([eb.and([inOffice, notSensitiveOrNamed]), ...mine]);
  };
}

export interface ListArgs {
  filter: IncidentListFilter & { openStatuses?: readonly string[] };
  viewer: Viewer;
  sort: { key: SortKey; desc: boolean };
  cursor?: Cursor | undefined;
  limit: number;
}

export function startOf(dateOrTime: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(dateOrTime) ? `${dateOrTime}T00:00:00.000Z` : new Date(dateOrTime).toISOString();
}

/** The end (exclusive) of a `reportedTo`: a date includes its whole day. */
export function endOf(dateOrTime: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(dateOrTime)) {
    const d = new Date(`${dateOrTime}T00:00:00.000Z`);
    return new Date(d.getTime() + 86_400_000).toISOString();
  }
  return new Date(new Date(dateOrTime).getTime() + 1).toISOString();
}

/** One page of what the viewer may see (`limit + 1` rows: the extra one says there is more), as summary rows. */
export async function list(ex: Executor, a: ListArgs): Promise<IncidentSummaryRow[]> {
  return selection(ex, a).select(SUMMARY_COLUMNS).execute();
}

/** The same selection as whole rows (exports). */
export async function listRows(ex: Executor, a: ListArgs): Promise<IncidentRow[]> {
  return selection(ex, a).selectAll('incidents').execute();
}

/** The filters, the visibility rule, the cursor, the order and the limit of a list; the caller picks the columns. */
function selection(ex: Executor, a: ListArgs) {
  const f = a.filter;
  let q = ex.selectFrom('incidents').where(visible(a.viewer));
  if (f.officeId) q = q.where('incidents.office_id', '=', f.officeId);
  if (f.status === 'open' && f.openStatuses) q = q.where('incidents.status', 'in', [...f.openStatuses]);
  else if (f.status) q = q.where('incidents.status', '=', f.status);
  if (f.severity !== undefined) q = q.where('incidents.severity', '=', f.severity);
  if (f.domain) q = q.where('incidents.domain', '=', f.domain);
  if (f.category) q = q.where('incidents.category', '=', f.category);
  if (f.determination) q = q.where('incidents.determination', '=', f.determination);
  if (f.reportedFrom) q = q.where('incidents.reported_at', '>=', startOf(f.reportedFrom));
  if (f.reportedTo) q = q.where('incidents.reported_at', '<', endOf(f.reportedTo));
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([containsText('incidents.title', text), containsText('incidents.reference', text)]));
  }
  if (f.mine === 'reported' && a.viewer.userId) q = q.where('incidents.reporter_user_id', '=', a.viewer.userId);
  if (f.mine === 'owned' && a.viewer.userId) q = q.where('incidents.owner_user_id', '=', a.viewer.userId);
  if (f.hasLocation === 'true')
    q = q.where('incidents.latitude', 'is not', null).where('incidents.longitude', 'is not', null);
  if (f.hasLocation === 'false')
    q = q.where((eb) => eb.or([eb('incidents.latitude', 'is', null), eb('incidents.longitude', 'is', null)]));
  const expr = sortExpr(a.sort.key);
  const dir = a.sort.desc ? 'desc' : 'asc';
  if (a.cursor) {
    const c = a.cursor;
    q = q.where(sql<SqlBool>`(${expr}, incidents.id) ${sql.raw(a.sort.desc ? '<' : '>')} (${c.v}, ${c.id})`);
  }
  return q
    .orderBy(expr, dir)
    .orderBy('incidents.id', dir)
    .limit(a.limit + 1);
}

export async function findById(ex: Executor, id: string): Promise<IncidentRow | undefined> {
  return ex.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByClientKey(
  ex: Executor,
  reporterUserId: string,
  clientKey: string,
): Promise<IncidentRow | undefined> {
  return ex
    .selectFrom('incidents')
    .selectAll()
    .where('reporter_user_id', '=', reporterUserId)
    .where('client_key', '=', clientKey)
    .executeTakeFirst();
}

export async function nextSeq(ex: Executor, officeId: string, year: number): Promise<number> {
  const r = await ex
    .selectFrom('incidents')
    .select((eb) => eb.fn.max('ref_seq').as('m'))
    .where('office_id', '=', officeId)
    .where('ref_year', '=', year)
    .executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}

export async function insert(ex: Executor, row: IncidentRow): Promise<void> {
  await ex.insertInto('incidents').values(row).execute();
}

/** Writes every changeable column when the version still matches; false when someone else changed it first. */
export async function updateIfVersion(ex: Executor, row: IncidentRow, expectedVersion: number): Promise<boolean> {
  const { id, office_id, reference, ref_year, ref_seq, created_at, created_by, ...rest } = row;
  const r = await ex
    .updateTable('incidents')
    .set(rest)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Display names of users (their person record's name). */
export async function userNames(ex: Executor, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map();
  const rows = await ex
    .selectFrom('users')
    .innerJoin('persons', 'persons.id', 'users.person_id')
    .select(['users.id', 'persons.display_name'])
    .where('users.id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export interface UserFacts {
  id: string;
  role: string;
  disabled: boolean;
  officeIds: string[];
}

export async function userFacts(ex: Executor, id: string): Promise<UserFacts | undefined> {
  const u = await ex.selectFrom('users').select(['id', 'role', 'is_disabled']).where('id', '=', id).executeTakeFirst();
  if (!u) return undefined;
  const offices = await ex.selectFrom('user_offices').select('office_id').where('user_id', '=', id).execute();
  return { id: u.id, role: u.role, disabled: u.is_disabled === 1, officeIds: offices.map((o) => o.office_id) };
}

export async function officeCode(ex: Executor, officeId: string): Promise<string | undefined> {
  const o = await ex
    .selectFrom('offices')
    .select('code')
    .where('id', '=', officeId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return o?.code;
}

export async function siteOffice(ex: Executor, siteId: string): Promise<string | undefined> {
  const s = await ex.selectFrom('sites').select('office_id').where('id', '=', siteId).executeTakeFirst();
  return s?.office_id;
}

// --- named access -----------------------------------------------------------------------------------

export async function accessRows(ex: Executor, incidentId: string) {
  return ex
    .selectFrom('incident_access')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('granted_at')
    .orderBy('user_id')
    .execute();
}

export async function replaceAccess(
  ex: Executor,
  incidentId: string,
  add: readonly string[],
  remove: readonly string[],
  by: string | null,
  at: string,
): Promise<void> {
  if (remove.length > 0)
    await ex
      .deleteFrom('incident_access')
      .where('incident_id', '=', incidentId)
      .where('user_id', 'in', [...remove])
      .execute();
  if (add.length > 0)
    await ex
      .insertInto('incident_access')
      .values(add.map((user_id) => ({ incident_id: incidentId, user_id, granted_by: by, granted_at: at })))
      .execute();
}

// --- persons ----------------------------------------------------------------------------------------

export async function persons(ex: Executor, incidentId: string) {
  return ex
    .selectFrom('incident_persons')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findPerson(ex: Executor, id: string) {
  return ex.selectFrom('incident_persons').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertPerson(ex: Executor, row: IncidentPersonsTable): Promise<void> {
  await ex.insertInto('incident_persons').values(row).execute();
}

export async function updatePersonIfVersion(ex: Executor, row: IncidentPersonsTable, expected: number) {
  const r = await ex
    .updateTable('incident_persons')
    .set({
      role: row.role,
      person_id: row.person_id,
      name: row.name,
      details: row.details,
      updated_at: row.updated_at,
      version: row.version,
    })
    .where('id', '=', row.id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deletePersonIfVersion(ex: Executor, id: string, expected: number) {
  const r = await ex
    .deleteFrom('incident_persons')
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function personExists(ex: Executor, personId: string): Promise<boolean> {
  return !!(await ex.selectFrom('persons').select('id').where('id', '=', personId).executeTakeFirst());
}

// --- categories -------------------------------------------------------------------------------------

/** The global catalogue plus the office's own (office ones first when a code exists in both). */
export async function categories(
  ex: Executor,
  officeId: string | null,
  includeInactive: boolean,
): Promise<IncidentCategoryRow[]> {
  let q = ex.selectFrom('incident_categories').selectAll();
  q = officeId
    ? q.where((eb) => eb.or([eb('office_id', 'is', null), eb('office_id', '=', officeId)]))
    : q.where('office_id', 'is', null);
  if (!includeInactive) q = q.where('active', '=', 1);
  return q.orderBy('code').orderBy('office_id').execute();
}

/** The category an incident of this office may use: the office's own first, else the global one. */
export async function categoryFor(
  ex: Executor,
  officeId: string,
  code: string,
): Promise<IncidentCategoryRow | undefined> {
  const rows = await ex
    .selectFrom('incident_categories')
    .selectAll()
    .where('code', '=', code)
    .where((eb) => eb.or([eb('office_id', 'is', null), eb('office_id', '=', officeId)]))
    .execute();
  return rows.find((r) => r.office_id === officeId) ?? rows.find((r) => r.office_id === null);
}

export async function findCategory(ex: Executor, id: string): Promise<IncidentCategoryRow | undefined> {
  return ex.selectFrom('incident_categories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function categoryExists(ex: Executor, officeId: string | null, code: string): Promise<boolean> {
  let q = ex.selectFrom('incident_categories').select('id').where('code', '=', code);
  q = officeId ? q.where('office_id', '=', officeId) : q.where('office_id', 'is', null);
  return !!(await q.executeTakeFirst());
}

export async function countCategories(ex: Executor): Promise<number> {
  const r = await ex
    .selectFrom('incident_categories')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function insertCategory(ex: Executor, row: IncidentCategoriesTable): Promise<void> {
  await ex.insertInto('incident_categories').values(row).execute();
}

export async function updateCategoryIfVersion(ex: Executor, row: IncidentCategoryRow, expected: number) {
  const { id, office_id, code, family, created_at, ...rest } = row;
  const r = await ex
    .updateTable('incident_categories')
    .set(rest)
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- metrics ----------------------------------------------------------------------------------------

/** The few columns the metrics need (never narratives), over a period, for what the viewer may see. */
/**
 * One batch of the rows behind the statistics, in (reported_at, id) order after `after`: read a batch
 * at a time, so a year of a busy office never sits in memory at once.
 */
export async function metricRows(
  ex: Executor,
  viewer: Viewer,
  officeId: string | undefined,
  from: string,
  to: string,
  after: { reportedAt: string; id: string } | null,
  limit: number,
) {
  let q = ex
    .selectFrom('incidents')
    .select([
      'incidents.id',
      'incidents.category',
      'incidents.severity',
      'incidents.status',
      'incidents.domain',
      'incidents.reported_at',
      'incidents.acknowledged_at',
      'incidents.contained_at',
      'incidents.hq_notified_at',
      'incidents.closed_at',
      'incidents.paused_seconds',
      'incidents.paused_since',
      'incidents.pause_log',
    ])
    .where('incidents.reported_at', '>=', from)
    .where('incidents.reported_at', '<', to)
    .where(visibleForStatistics(viewer));
  if (officeId) q = q.where('incidents.office_id', '=', officeId);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('incidents.reported_at', '>', after.reportedAt),
        eb.and([eb('incidents.reported_at', '=', after.reportedAt), eb('incidents.id', '>', after.id)]),
      ]),
    );
  return q.orderBy('incidents.reported_at').orderBy('incidents.id').limit(limit).execute();
}

/** Statistics count every incident of the offices the viewer reads, sensitive ones included (no detail leaves). */
function visibleForStatistics(v: Viewer) {
  return (eb: ExpressionBuilder<DB, 'incidents'>): Expression<SqlBool> =>
    v.officeIds === undefined ? sql<SqlBool>`1 = 1` : eb('incidents.office_id', 'in', ['', ...v.officeIds]);
}

export type MetricRow = Awaited<ReturnType<typeof metricRows>>[number];
