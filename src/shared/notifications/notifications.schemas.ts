import { z } from 'zod';
import { IdSchema, ListQueryBase, TimestampSchema, text, VersionSchema } from '../common/common.schemas.ts';

/** Mirrors NOTIFICATION_KINDS in src/server/lib/ports.ts (a test keeps them equal). */
export const NOTIFICATION_KIND_LIST = [
  'task.assigned',
  'task.due_soon',
  'task.overdue',
  'task.comment',
  'task.closed',
  'checklist.failed_item',
  'incident.reported',
  'incident.assigned',
  'incident.review_requested',
  'incident.closed',
  'incident.escalated',
  'incident.escalation_overdue',
  'incident.hq_acknowledged',
  'incident.immediate_alert',
  'system.test',
] as const;
export const NotificationKindSchema = z.enum(NOTIFICATION_KIND_LIST);
export type NotificationKindName = z.infer<typeof NotificationKindSchema>;

const ParamsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

/** One inbox entry, with its text rendered in the reader's language. */
export const NotificationSchema = z.object({
  id: IdSchema,
  kind: z.string(),
  officeId: IdSchema.nullable(),
  entityType: z.string(),
  entityId: z.string(),
  params: ParamsSchema,
  actorLabel: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  /** Path of the record in the web app, e.g. `/tasks/<id>`. */
  link: z.string(),
  createdAt: TimestampSchema,
  readAt: TimestampSchema.nullable(),
});
export type Notification = z.infer<typeof NotificationSchema>;

export const InboxQuery = z.strictObject({
  ...ListQueryBase,
  unread: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
});

export const UnreadCountSchema = z.object({ count: z.int().min(0) });
export const MarkedSchema = z.object({ marked: z.int().min(0) });

export const PreferencesSchema = z.object({
  /** Per kind: whether it is also sent by e-mail (individually, or in the digest). */
  email: z.record(z.string(), z.boolean()),
  /** One e-mail a day summarising unread notifications, instead of one e-mail each. */
  digest: z.boolean(),
  version: VersionSchema,
});
export type Preferences = z.infer<typeof PreferencesSchema>;

export const PreferencesInput = z.strictObject({
  email: z.partialRecord(NotificationKindSchema, z.boolean()).optional(),
  digest: z.boolean().optional(),
  version: VersionSchema,
});
export type PreferencesInput = z.input<typeof PreferencesInput>;

export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;

export const SmtpSettingsSchema = z.object({
  configured: z.boolean(),
  host: z.string().nullable(),
  port: z.int().nullable(),
  /** `tls`: TLS from the start (port 465); `starttls`: upgrade required (587); `none`: plain (a local relay). */
  security: z.enum(SMTP_SECURITY).nullable(),
  username: z.string().nullable(),
  /** The password is never returned: only whether one is stored. */
  passwordSet: z.boolean(),
  fromAddress: z.string().nullable(),
  version: z.int().min(0),
});
export type SmtpSettings = z.infer<typeof SmtpSettingsSchema>;

export const SmtpSettingsInput = z.strictObject({
  host: z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, { message: 'must be a host name or address' }),
  port: z.int().min(1).max(65535),
  security: z.enum(SMTP_SECURITY),
  username: z.string().trim().max(254).nullable().optional(),
  /** Omitted: keep the stored password; null or empty: remove it. */
  password: z.string().max(500).nullable().optional(),
  fromAddress: z.email({ message: 'must be an e-mail address' }).max(254),
  /** The version read (0 when nothing was configured yet). */
  version: z.int().min(0),
});
export type SmtpSettingsInput = z.input<typeof SmtpSettingsInput>;

export const TestResultSchema = z.object({
  /** The queued message, visible in the delivery log. */
  deliveryId: IdSchema,
  delivered: z.boolean(),
  statusCode: z.int().nullable(),
  error: z.string().nullable(),
});

export const WebhookSchema = z.object({
  id: IdSchema,
  name: z.string(),
  url: z.string(),
  kinds: z.array(z.string()),
  active: z.boolean(),
  version: VersionSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Webhook = z.infer<typeof WebhookSchema>;

/** Returned once, on creation: the secret the receiver uses to check `X-Outpost-Signature`. */
export const WebhookWithSecretSchema = WebhookSchema.extend({ secret: z.string() });

const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/\S+$/i, { message: 'must be an http:// or https:// URL' });
const Kinds = z.array(NotificationKindSchema).min(1, { message: 'choose at least one kind' }).max(50);

export const WebhookCreateInput = z.strictObject({
  name: text(200),
  url: WebhookUrl,
  kinds: Kinds,
  active: z.boolean().default(true),
});
export type WebhookCreateInput = z.input<typeof WebhookCreateInput>;

export const WebhookUpdateInput = z.strictObject({
  name: text(200).optional(),
  url: WebhookUrl.optional(),
  kinds: Kinds.optional(),
  active: z.boolean().optional(),
  version: VersionSchema,
});
export type WebhookUpdateInput = z.input<typeof WebhookUpdateInput>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export const DELIVERY_CHANNELS = ['email', 'webhook'] as const;

export const DeliveryAttemptSchema = z.object({
  attempt: z.int(),
  at: TimestampSchema,
  ok: z.boolean(),
  statusCode: z.int().nullable(),
  error: z.string().nullable(),
  durationMs: z.int(),
});

export const DeliverySchema = z.object({
  id: IdSchema,
  eventId: IdSchema,
  channel: z.enum(DELIVERY_CHANNELS),
  kind: z.string(),
  userId: IdSchema.nullable(),
  webhookId: IdSchema.nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.int(),
  lastStatusCode: z.int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: TimestampSchema.nullable(),
  deliveredAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
});
export type Delivery = z.infer<typeof DeliverySchema>;

export const DeliveryDetailSchema = DeliverySchema.extend({ log: z.array(DeliveryAttemptSchema) });

export const DeliveryQuery = z.strictObject({
  ...ListQueryBase,
  channel: z.enum(DELIVERY_CHANNELS).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  webhookId: IdSchema.optional(),
});
