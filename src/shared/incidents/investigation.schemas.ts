import { z } from 'zod';
import { IdSchema, TimestampSchema, text, VersionSchema } from '../common/common.schemas.ts';

/**
 * The investigation of an incident (issue #5): timeline, evidence and its chain of custody, the
 * communications log, links to other records, and tasks from the category's templates.
 *
 * Who sees what: the timeline is read by whoever sees the incident (the staff member who reported it
 * follows it); evidence, custody and communications are working material of the investigation and need
 * write access to the incident (`incident.write` in its office, or being its owner).
 */

/** Any ISO-8601 date and time with a zone; stored as UTC. */
export const InstantInputSchema = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date and time with a zone',
});

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .nullable()
    .optional();

// --- timeline ---------------------------------------------------------------------------------------

export const TIMELINE_PRECISIONS = ['exact', 'approximate'] as const;
export const TimelinePrecisionSchema = z.enum(TIMELINE_PRECISIONS);

/** Who or what says the event happened. */
export const TIMELINE_SOURCES = [
  'witness',
  'victim',
  'staff_report',
  'officer',
  'cctv',
  'access_control',
  'log',
  'police',
  'authorities',
  'media',
  'partner',
  'system',
  'other',
] as const;
export const TimelineSourceSchema = z.enum(TIMELINE_SOURCES);

export const TimelineEntryInput = z.strictObject({
  occurredAt: InstantInputSchema,
  precision: TimelinePrecisionSchema.default('exact'),
  description: text(5000),
  source: TimelineSourceSchema,
  /** Which witness, which camera, which log. */
  sourceDetail: optionalText(500),
  /** For the investigators only: hidden from a staff member following their own report. */
  internal: z.boolean().default(false),
});
export type TimelineEntryInput = z.input<typeof TimelineEntryInput>;

export const TimelineEntryUpdateInput = z.strictObject({
  occurredAt: InstantInputSchema.optional(),
  precision: TimelinePrecisionSchema.optional(),
  description: text(5000).optional(),
  source: TimelineSourceSchema.optional(),
  sourceDetail: optionalText(500),
  internal: z.boolean().optional(),
  version: VersionSchema,
});
export type TimelineEntryUpdateInput = z.input<typeof TimelineEntryUpdateInput>;

export const TimelineEntrySchema = z.object({
  id: IdSchema,
  incidentId: IdSchema,
  occurredAt: TimestampSchema,
  precision: TimelinePrecisionSchema,
  description: z.string(),
  source: TimelineSourceSchema,
  sourceDetail: z.string().nullable(),
  internal: z.boolean(),
  createdBy: IdSchema.nullable(),
  createdByName: z.string().nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  version: VersionSchema,
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

// --- evidence and chain of custody -----------------------------------------------------------------------

export const EVIDENCE_KINDS = ['physical', 'digital', 'document', 'photo', 'log', 'other'] as const;
export const EvidenceKindSchema = z.enum(EVIDENCE_KINDS);

export const Sha256Schema = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{64}$/, { message: 'must be a SHA-256 hash: 64 hexadecimal characters' })
  .transform((s) => s.toLowerCase());

export const EvidenceInput = z
  .strictObject({
    label: text(200),
    kind: EvidenceKindSchema,
    description: optionalText(5000),
    acquiredAt: InstantInputSchema,
    /** The user who acquired it, or `acquiredByName` for someone without an account; neither = the caller. */
    acquiredByUserId: IdSchema.nullable().optional(),
    acquiredByName: optionalText(200),
    acquisitionMethod: optionalText(1000),
    storageLocation: optionalText(500),
    /** An attachment of this incident: its stored SHA-256 is taken and can be verified later. */
    attachmentId: IdSchema.nullable().optional(),
    /** For an item hashed elsewhere (a disk image in a forensic lab). */
    sha256: Sha256Schema.nullable().optional(),
    /** Who holds the item after acquisition (the first custody entry); default: the acquirer. */
    custodian: optionalText(200),
  })
  .refine((v) => !(v.attachmentId && v.sha256), {
    message: 'give either an attachment or a typed SHA-256, not both',
    path: ['sha256'],
  })
  .refine((v) => !(v.acquiredByUserId && v.acquiredByName), {
    message: 'give either a user or a name for who acquired it, not both',
    path: ['acquiredByName'],
  });
export type EvidenceInput = z.input<typeof EvidenceInput>;

/** What may change after acquisition: the description and where it is kept. Hash and acquisition are fixed. */
export const EvidenceUpdateInput = z.strictObject({
  label: text(200).optional(),
  kind: EvidenceKindSchema.optional(),
  description: optionalText(5000),
  acquisitionMethod: optionalText(1000),
  storageLocation: optionalText(500),
  version: VersionSchema,
});
export type EvidenceUpdateInput = z.input<typeof EvidenceUpdateInput>;

export const INTEGRITY_STATUSES = [
  /** The stored bytes of the attachment still hash to the recorded SHA-256. */
  'verified',
  /** They do not: the file was altered or corrupted. */
  'mismatch',
  /** The stored file is gone (restore it from a backup). */
  'missing',
  /** The attachment was deleted from the incident. */
  'attachment_deleted',
  /** A typed hash of an item kept elsewhere: the server cannot check it. */
  'external',
  /** No hash recorded (a physical item). */
  'none',
] as const;
export const IntegrityStatusSchema = z.enum(INTEGRITY_STATUSES);

export const EvidenceIntegritySchema = z.object({
  status: IntegrityStatusSchema,
  /** The hash of the stored bytes now, when there are stored bytes. */
  actualSha256: z.string().nullable(),
  checkedAt: TimestampSchema,
});

export const EvidenceSchema = z.object({
  id: IdSchema,
  incidentId: IdSchema,
  label: z.string(),
  kind: EvidenceKindSchema,
  description: z.string().nullable(),
  acquiredAt: TimestampSchema,
  acquiredByUserId: IdSchema.nullable(),
  /** The user's display name, or the name typed. */
  acquiredByName: z.string().nullable(),
  acquisitionMethod: z.string().nullable(),
  storageLocation: z.string().nullable(),
  sha256: z.string().nullable(),
  attachmentId: IdSchema.nullable(),
  /** Who holds the item now (the latest custody entry). */
  currentCustodian: z.string().nullable(),
  custodyEntries: z.int(),
  integrity: EvidenceIntegritySchema,
  createdBy: IdSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  version: VersionSchema,
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const CustodyEntryInput = z.strictObject({
  /** Who receives the item. The giver is whoever holds it now. */
  to: text(200),
  /** When it changed hands (default: now); never before the previous hand-over, never in the future. */
  at: InstantInputSchema.optional(),
  /** Why: analysis, storage, handed to police, returned to owner… */
  purpose: text(500),
  note: optionalText(2000),
});
export type CustodyEntryInput = z.input<typeof CustodyEntryInput>;

export const CustodyEntrySchema = z.object({
  id: IdSchema,
  evidenceId: IdSchema,
  seq: z.int(),
  from: z.string().nullable(),
  to: z.string(),
  at: TimestampSchema,
  purpose: z.string(),
  note: z.string().nullable(),
  recordedBy: IdSchema.nullable(),
  recordedByName: z.string().nullable(),
  recordedAt: TimestampSchema,
  /** SHA-256 of this entry chained to the previous one (tamper evidence). */
  entryHash: z.string(),
});
export type CustodyEntry = z.infer<typeof CustodyEntrySchema>;

export const CustodyLogSchema = z.object({
  items: z.array(CustodyEntrySchema),
  /** True when every entry's hash matches its content and the previous entry's hash. */
  chainIntact: z.boolean(),
});
export type CustodyLog = z.infer<typeof CustodyLogSchema>;

// --- communications ----------------------------------------------------------------------------------------

export const COMMUNICATION_CHANNELS = ['phone', 'email', 'in_person', 'radio', 'messaging', 'letter', 'other'] as const;
export const CommunicationChannelSchema = z.enum(COMMUNICATION_CHANNELS);

export const CommunicationInput = z
  .strictObject({
    /** Who was told (a person, a role, an organisation). */
    recipient: text(200),
    recipientUserId: IdSchema.nullable().optional(),
    channel: CommunicationChannelSchema,
    /** What they were told. */
    summary: text(5000),
    /** When (default: now). */
    communicatedAt: InstantInputSchema.optional(),
    acknowledged: z.boolean().default(false),
    /** When they acknowledged (default: now, when `acknowledged`). */
    acknowledgedAt: InstantInputSchema.nullable().optional(),
    note: optionalText(2000),
  })
  .refine((v) => v.acknowledged || !v.acknowledgedAt, {
    message: 'an acknowledgement time needs `acknowledged: true`',
    path: ['acknowledgedAt'],
  });
export type CommunicationInput = z.input<typeof CommunicationInput>;

export const CommunicationUpdateInput = z.strictObject({
  recipient: text(200).optional(),
  recipientUserId: IdSchema.nullable().optional(),
  channel: CommunicationChannelSchema.optional(),
  summary: text(5000).optional(),
  communicatedAt: InstantInputSchema.optional(),
  acknowledged: z.boolean().optional(),
  acknowledgedAt: InstantInputSchema.nullable().optional(),
  note: optionalText(2000),
  version: VersionSchema,
});
export type CommunicationUpdateInput = z.input<typeof CommunicationUpdateInput>;

export const CommunicationSchema = z.object({
  id: IdSchema,
  incidentId: IdSchema,
  recipient: z.string(),
  recipientUserId: IdSchema.nullable(),
  channel: CommunicationChannelSchema,
  summary: z.string(),
  communicatedAt: TimestampSchema,
  communicatedBy: IdSchema.nullable(),
  communicatedByName: z.string().nullable(),
  acknowledged: z.boolean(),
  acknowledgedAt: TimestampSchema.nullable(),
  note: z.string().nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  version: VersionSchema,
});
export type Communication = z.infer<typeof CommunicationSchema>;

// --- links -----------------------------------------------------------------------------------------------

/** `duplicate_of`, `caused_by` and `causes` link incidents; any record (risk, asset…) can be `related`. */
export const LINK_RELATIONS = ['related', 'duplicate_of', 'caused_by', 'causes'] as const;
export const LinkRelationSchema = z.enum(LINK_RELATIONS);

export const LinkInput = z.strictObject({
  /** `incident`, or a record type of the record-links registry (risk, asset… once those modules exist). */
  targetType: z
    .string()
    .trim()
    .regex(/^[a-z][a-z_]{0,49}$/, { message: 'must be a record type such as incident' }),
  targetId: IdSchema,
  relation: LinkRelationSchema.default('related'),
  note: optionalText(1000),
});
export type LinkInput = z.input<typeof LinkInput>;

export const LinkSchema = z.object({
  id: IdSchema,
  /** The incident the link was made from. */
  incidentId: IdSchema,
  targetType: z.string(),
  targetId: z.string(),
  relation: LinkRelationSchema,
  /** Seen from the incident asked about: `outgoing` (made from it) or `incoming` (another incident points at it). */
  direction: z.enum(['outgoing', 'incoming']),
  /** The record at the other end, as the caller may see it. */
  other: z.object({
    entityType: z.string(),
    entityId: z.string(),
    officeId: IdSchema.nullable(),
    title: z.string(),
  }),
  note: z.string().nullable(),
  createdBy: IdSchema.nullable(),
  createdAt: TimestampSchema,
});
export type Link = z.infer<typeof LinkSchema>;

// --- task templates -------------------------------------------------------------------------------------------

export const ApplyTaskTemplateInput = z.strictObject({
  /** Language of the task titles (default English). */
  lang: z.enum(['en', 'fr']).default('en'),
});
export type ApplyTaskTemplateInput = z.input<typeof ApplyTaskTemplateInput>;

export const AppliedTaskTemplateSchema = z.object({
  categoryCode: z.string(),
  /** Tasks made by this call (applying again makes none for items already applied). */
  createdTaskIds: z.array(IdSchema),
  /** Every task made from the template for this incident so far. */
  taskIds: z.array(IdSchema),
});
export type AppliedTaskTemplate = z.infer<typeof AppliedTaskTemplateSchema>;

export const TaskTemplateItemSchema = z.object({
  id: IdSchema,
  /** The incident category (`family:type`) it applies to. */
  categoryCode: z.string(),
  key: z.string(),
  title: z.string(),
  titleFr: z.string(),
  /** Hours from when it is applied to the task's due date (none: no due date). */
  dueOffsetHours: z.int().nullable(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  order: z.int(),
});
export type TaskTemplateItem = z.infer<typeof TaskTemplateItemSchema>;
