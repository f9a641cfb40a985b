import { z } from 'zod';
import {
  CountryCodeSchema,
  IdSchema,
  LatitudeSchema,
  LongitudeSchema,
  TimestampSchema,
  text,
  VersionSchema,
} from '../common/common.schemas.ts';
import {
  IncidentActorTypeSchema,
  IncidentDeterminationSchema,
  IncidentDomainSchema,
  IncidentLocationTypeSchema,
  IncidentReportChannelSchema,
  IncidentSeveritySchema,
  type IncidentStatus,
  IncidentStatusSchema,
  ObservableTypeSchema,
  TERMINAL_INCIDENT_STATUSES,
  TlpSchema,
} from './incidents.enums.ts';

/**
 * The incident core record (issue #5, part A): what the API returns and accepts. Times the workflow
 * sets (acknowledged, contained, resolved, closed, HQ notified/acknowledged) are never typed by a user;
 * only when it happened (`occurredAt`) and when it was noticed (`detectedAt`) are.
 */

/** Any ISO-8601 date-time with a zone; stored as UTC. */
export const IncidentTimeSchema = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date and time with a zone',
});

/** `family:type`, lower case, e.g. `cyber:phishing`, `safety:medical`. */
export const CategoryCodeSchema = z
  .string()
  .trim()
  .max(80)
  .regex(/^[a-z][a-z0-9_]{0,38}:[a-z][a-z0-9_]{0,38}$/, {
    message: 'must be family:type in lower case, e.g. cyber:phishing',
  });

export const ObservableSchema = z.strictObject({
  type: ObservableTypeSchema,
  value: text(2000),
  note: z.string().trim().max(1000).nullable().optional(),
});
export type Observable = z.infer<typeof ObservableSchema>;

/** An affected asset: by name today; `assetId` plugs into the asset register once it exists. */
export const AffectedAssetSchema = z.strictObject({
  name: text(300),
  kind: z.string().trim().max(60).nullable().optional(),
  assetId: IdSchema.nullable().optional(),
  note: z.string().trim().max(1000).nullable().optional(),
});
export type AffectedAsset = z.infer<typeof AffectedAssetSchema>;

const count = z.int().min(0).max(1_000_000);
/** What the incident cost: people harmed (AWSD coding), data, downtime, money. Every field optional. */
export const ImpactsSchema = z.strictObject({
  peopleKilled: count.nullable().optional(),
  peopleInjured: count.nullable().optional(),
  peopleKidnapped: count.nullable().optional(),
  peopleDetained: count.nullable().optional(),
  dataRecords: z.int().min(0).max(1_000_000_000_000).nullable().optional(),
  dataDescription: z.string().trim().max(2000).nullable().optional(),
  downtimeHours: z.number().min(0).max(1_000_000).nullable().optional(),
  financialLoss: z.number().min(0).max(1_000_000_000_000).nullable().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code, e.g. EUR' })
    .nullable()
    .optional(),
});
export type Impacts = z.infer<typeof ImpactsSchema>;

/**
 * The workflow, server-enforced. Every non-terminal status may also go to `rejected`, `duplicate` and
 * `awaiting_external`; `awaiting_external` goes back only to the status it paused.
 */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  reported: ['triaged', 'awaiting_external', 'rejected', 'duplicate'],
  triaged: ['investigating', 'awaiting_external', 'rejected', 'duplicate'],
  investigating: ['contained', 'awaiting_external', 'rejected', 'duplicate'],
  contained: ['resolved', 'investigating', 'awaiting_external', 'rejected', 'duplicate'],
  resolved: ['closed', 'investigating', 'awaiting_external', 'rejected', 'duplicate'],
  // Back to `statusBeforePause` only (checked with the record), or out as rejected/duplicate.
  awaiting_external: ['reported', 'triaged', 'investigating', 'contained', 'resolved', 'rejected', 'duplicate'],
  closed: [],
  rejected: [],
  duplicate: [],
};

export function isTerminalStatus(s: string): boolean {
  return (TERMINAL_INCIDENT_STATUSES as readonly string[]).includes(s);
}

export const IncidentSchema = z.object({
  id: IdSchema,
  officeId: IdSchema,
  /** `OFFICE-YYYY-NNN`. */
  reference: z.string(),
  refYear: z.int(),
  refSeq: z.int(),
  title: z.string(),
  /** Markdown as typed: render it sanitised. */
  narrative: z.string().nullable(),
  domain: IncidentDomainSchema,
  category: z.string(),
  determination: IncidentDeterminationSchema,
  severity: IncidentSeveritySchema.nullable(),
  status: IncidentStatusSchema,
  statusBeforePause: IncidentStatusSchema.nullable(),
  pausedSeconds: z.int(),
  pausedSince: TimestampSchema.nullable(),
  occurredAt: TimestampSchema.nullable(),
  detectedAt: TimestampSchema.nullable(),
  reportedAt: TimestampSchema,
  acknowledgedAt: TimestampSchema.nullable(),
  containedAt: TimestampSchema.nullable(),
  hqNotifiedAt: TimestampSchema.nullable(),
  hqAcknowledgedAt: TimestampSchema.nullable(),
  resolvedAt: TimestampSchema.nullable(),
  closedAt: TimestampSchema.nullable(),
  country: z.string().nullable(),
  city: z.string().nullable(),
  siteId: IdSchema.nullable(),
  locationType: z.string().nullable(),
  locationText: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  reportChannel: IncidentReportChannelSchema,
  reporterUserId: IdSchema.nullable(),
  /** The reporter's account name, or the name logged for a phone/walk-in report. */
  reporterName: z.string().nullable(),
  ownerUserId: IdSchema.nullable(),
  ownerName: z.string().nullable(),
  reviewerUserId: IdSchema.nullable(),
  reviewerName: z.string().nullable(),
  /** When the reviewer approved the closure (null: not approved yet). */
  reviewedAt: TimestampSchema.nullable(),
  reviewNote: z.string().nullable(),
  affectedAssets: z.array(AffectedAssetSchema),
  observables: z.array(ObservableSchema),
  impacts: ImpactsSchema,
  actorType: IncidentActorTypeSchema.nullable(),
  anyoneHurt: z.boolean().nullable(),
  helpNeeded: z.string().nullable(),
  tlp: TlpSchema,
  classification: z.string().nullable(),
  sensitive: z.boolean(),
  closingSummary: z.string().nullable(),
  lessonsLearned: z.string().nullable(),
  duplicateOf: IdSchema.nullable(),
  clientKey: z.string().nullable(),
  createdBy: IdSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  version: VersionSchema,
  /** Derived, never typed: minutes from the report, time spent awaiting an external party excluded. */
  timeToAcknowledgeMinutes: z.number().nullable(),
  timeToContainMinutes: z.number().nullable(),
  timeToNotifyHqMinutes: z.number().nullable(),
  timeToCloseMinutes: z.number().nullable(),
  /** The statuses the caller may move it to now. */
  allowedTransitions: z.array(IncidentStatusSchema),
});
export type Incident = z.infer<typeof IncidentSchema>;

/**
 * One incident as the lists show it (issue #6): the list and board (reference, title, severity, status,
 * category and domain, office, reported at, the sensitive mark), the map (coordinates) and what a list
 * item needs to be acted on (owner, site, occurred at, version, updated at). No narrative, closing texts,
 * review, reporter or JSON lists (observables, assets, impacts), no derived durations: the record page
 * reads the whole incident with `GET /api/v1/incidents/:id`.
 */
export const IncidentSummarySchema = IncidentSchema.pick({
  id: true,
  officeId: true,
  reference: true,
  title: true,
  domain: true,
  category: true,
  severity: true,
  status: true,
  sensitive: true,
  occurredAt: true,
  reportedAt: true,
  siteId: true,
  latitude: true,
  longitude: true,
  ownerUserId: true,
  updatedAt: true,
  version: true,
});
export type IncidentSummary = z.infer<typeof IncidentSummarySchema>;

const narrative = z.string().max(100_000, { message: 'must be at most 100000 characters' });
const nullableText = (max: number) => z.string().trim().max(max).nullable().optional();

/** Fields an editor may set (create and PATCH share them). */
const editable = {
  title: text(300),
  narrative: narrative.nullable().optional(),
  domain: IncidentDomainSchema,
  category: CategoryCodeSchema,
  determination: IncidentDeterminationSchema.optional(),
  severity: IncidentSeveritySchema.nullable().optional(),
  occurredAt: IncidentTimeSchema.nullable().optional(),
  detectedAt: IncidentTimeSchema.nullable().optional(),
  country: CountryCodeSchema.nullable().optional(),
  city: nullableText(200),
  siteId: IdSchema.nullable().optional(),
  locationType: IncidentLocationTypeSchema.nullable().optional(),
  locationText: nullableText(500),
  latitude: LatitudeSchema.nullable().optional(),
  longitude: LongitudeSchema.nullable().optional(),
  ownerUserId: IdSchema.nullable().optional(),
  affectedAssets: z.array(AffectedAssetSchema).max(200).optional(),
  observables: z.array(ObservableSchema).max(1000).optional(),
  impacts: ImpactsSchema.optional(),
  actorType: IncidentActorTypeSchema.nullable().optional(),
  anyoneHurt: z.boolean().nullable().optional(),
  helpNeeded: nullableText(2000),
  tlp: TlpSchema.optional(),
  classification: nullableText(100),
  sensitive: z.boolean().optional(),
};

/** Full create by an officer; also a phone or walk-in report logged for someone (`reportChannel` + `reporterName`). */
export const IncidentCreateBody = z.strictObject({
  ...editable,
  domain: IncidentDomainSchema.optional(),
  reportChannel: IncidentReportChannelSchema.optional(),
  /** Who reported it when it is not the caller (phone, walk-in): an account, or a name. */
  reporterUserId: IdSchema.nullable().optional(),
  reporterName: nullableText(200),
});
export type IncidentCreateBody = z.input<typeof IncidentCreateBody>;

export const IncidentUpdateBody = z.strictObject({
  ...editable,
  title: text(300).optional(),
  domain: IncidentDomainSchema.optional(),
  category: CategoryCodeSchema.optional(),
  reporterName: nullableText(200),
  /** Asking someone to review the closure (they get `incident.review_requested`). */
  reviewerUserId: IdSchema.nullable().optional(),
  closingSummary: nullableText(20_000),
  lessonsLearned: nullableText(20_000),
  version: VersionSchema,
});
export type IncidentUpdateBody = z.input<typeof IncidentUpdateBody>;

/** Staff's quick report from a phone: five questions, and a key so a resend is not a second incident. */
export const QuickReportBody = z.strictObject({
  clientKey: z.uuid({ message: 'must be a UUID made by the device' }),
  what: text(4000),
  where: text(500),
  when: IncidentTimeSchema,
  anyoneHurt: z.boolean(),
  helpNeeded: z.string().trim().max(2000),
  latitude: LatitudeSchema.optional(),
  longitude: LongitudeSchema.optional(),
});
export type QuickReportBody = z.input<typeof QuickReportBody>;

export const IncidentTransitionBody = z.strictObject({
  to: IncidentStatusSchema,
  version: VersionSchema,
  reason: z.string().trim().max(2000).optional(),
  closingSummary: z.string().trim().max(20_000).optional(),
  lessonsLearned: z.string().trim().max(20_000).optional(),
  duplicateOf: IdSchema.optional(),
});
export type IncidentTransitionBody = z.input<typeof IncidentTransitionBody>;

export const IncidentReviewBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  note: text(4000),
  version: VersionSchema,
});
export type IncidentReviewBody = z.input<typeof IncidentReviewBody>;

export const IncidentAccessUserSchema = z.object({
  userId: IdSchema,
  displayName: z.string(),
  grantedBy: IdSchema.nullable(),
  grantedAt: TimestampSchema,
});
export const IncidentAccessSchema = z.object({
  incidentId: IdSchema,
  sensitive: z.boolean(),
  /** Who sees it anyway: owner, reporter, reviewer. */
  ownerUserId: IdSchema.nullable(),
  reporterUserId: IdSchema.nullable(),
  reviewerUserId: IdSchema.nullable(),
  users: z.array(IncidentAccessUserSchema),
  version: VersionSchema,
});
export type IncidentAccessList = z.infer<typeof IncidentAccessSchema>;
export const IncidentAccessBody = z.strictObject({
  userIds: z
    .array(IdSchema)
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'each user only once' }),
  version: VersionSchema,
});
export type IncidentAccessBody = z.input<typeof IncidentAccessBody>;

export const INCIDENT_PERSON_ROLES = ['victim', 'witness', 'suspect', 'staff_involved', 'other'] as const;
export const IncidentPersonSchema = z.object({
  id: IdSchema,
  incidentId: IdSchema,
  role: z.enum(INCIDENT_PERSON_ROLES),
  personId: IdSchema.nullable(),
  name: z.string(),
  details: z.string().nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  version: VersionSchema,
});
export type IncidentPerson = z.infer<typeof IncidentPersonSchema>;
export const IncidentPersonCreateBody = z.strictObject({
  role: z.enum(INCIDENT_PERSON_ROLES),
  personId: IdSchema.nullable().optional(),
  name: text(200),
  details: z.string().trim().max(10_000).nullable().optional(),
});
export type IncidentPersonCreateBody = z.input<typeof IncidentPersonCreateBody>;
export const IncidentPersonUpdateBody = z.strictObject({
  role: z.enum(INCIDENT_PERSON_ROLES).optional(),
  personId: IdSchema.nullable().optional(),
  name: text(200).optional(),
  details: z.string().trim().max(10_000).nullable().optional(),
  version: VersionSchema,
});
export type IncidentPersonUpdateBody = z.input<typeof IncidentPersonUpdateBody>;

export const IncidentCategorySchema = z.object({
  id: IdSchema,
  officeId: IdSchema.nullable(),
  code: z.string(),
  family: z.string(),
  label: z.string(),
  labelFr: z.string(),
  domain: IncidentDomainSchema,
  defaultSeverity: IncidentSeveritySchema.nullable(),
  sensitive: z.boolean(),
  alwaysImmediate: z.boolean(),
  active: z.boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  version: VersionSchema,
});
export type IncidentCategory = z.infer<typeof IncidentCategorySchema>;
export const IncidentCategoryCreateBody = z.strictObject({
  /** null/absent = the global catalogue (admin); an office's own otherwise. */
  officeId: IdSchema.nullable().optional(),
  code: CategoryCodeSchema,
  label: text(200),
  labelFr: text(200),
  domain: IncidentDomainSchema,
  defaultSeverity: IncidentSeveritySchema.nullable().optional(),
  sensitive: z.boolean().optional(),
  alwaysImmediate: z.boolean().optional(),
});
export type IncidentCategoryCreateBody = z.input<typeof IncidentCategoryCreateBody>;
export const IncidentCategoryUpdateBody = z.strictObject({
  label: text(200).optional(),
  labelFr: text(200).optional(),
  domain: IncidentDomainSchema.optional(),
  defaultSeverity: IncidentSeveritySchema.nullable().optional(),
  sensitive: z.boolean().optional(),
  alwaysImmediate: z.boolean().optional(),
  active: z.boolean().optional(),
  version: VersionSchema,
});
export type IncidentCategoryUpdateBody = z.input<typeof IncidentCategoryUpdateBody>;

export const INCIDENT_SORTS = [
  'reportedAt',
  '-reportedAt',
  'severity',
  '-severity',
  'status',
  '-status',
  'reference',
  '-reference',
] as const;

export const IncidentStatusFilterSchema = z.enum([...IncidentStatusSchema.options, 'open']);
const dateOrTime = z.union([z.iso.date(), IncidentTimeSchema], {
  message: 'must be a date (YYYY-MM-DD) or an ISO-8601 date and time with a zone',
});

export const IncidentListFilters = {
  officeId: IdSchema.optional(),
  status: IncidentStatusFilterSchema.optional(),
  severity: z.coerce.number().int().min(1).max(4).optional(),
  domain: IncidentDomainSchema.optional(),
  category: CategoryCodeSchema.optional(),
  determination: IncidentDeterminationSchema.optional(),
  reportedFrom: dateOrTime.optional(),
  reportedTo: dateOrTime.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  mine: z.enum(['reported', 'owned']).optional(),
  hasLocation: z.enum(['true', 'false']).optional(),
};
export type IncidentListFilter = {
  officeId?: string | undefined;
  status?: z.infer<typeof IncidentStatusFilterSchema> | undefined;
  severity?: number | undefined;
  domain?: string | undefined;
  category?: string | undefined;
  determination?: string | undefined;
  reportedFrom?: string | undefined;
  reportedTo?: string | undefined;
  q?: string | undefined;
  mine?: 'reported' | 'owned' | undefined;
  hasLocation?: 'true' | 'false' | undefined;
};

export const IncidentMetricsQuery = z.strictObject({
  officeId: IdSchema.optional(),
  from: dateOrTime.optional(),
  to: dateOrTime.optional(),
});

const DurationStats = z.object({
  /** How many incidents have this duration (reached the milestone). */
  count: z.int(),
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
});
export const METRIC_NAMES = ['acknowledge', 'contain', 'notifyHq', 'close'] as const;
const MetricGroup = z.object({
  key: z.string(),
  incidents: z.int(),
  acknowledge: DurationStats,
  contain: DurationStats,
  notifyHq: DurationStats,
  close: DurationStats,
});
export type IncidentMetricGroup = z.infer<typeof MetricGroup>;
export const IncidentMetricsSchema = z.object({
  from: TimestampSchema,
  to: TimestampSchema,
  officeId: IdSchema.nullable(),
  overall: MetricGroup,
  byCategory: z.array(MetricGroup),
  bySeverity: z.array(MetricGroup),
  /** `YYYY-MM` of the report date (UTC). */
  byMonth: z.array(MetricGroup),
  byStatus: z.array(z.object({ status: IncidentStatusSchema, count: z.int() })),
  byDomain: z.array(z.object({ domain: IncidentDomainSchema, count: z.int() })),
});
export type IncidentMetrics = z.infer<typeof IncidentMetricsSchema>;
