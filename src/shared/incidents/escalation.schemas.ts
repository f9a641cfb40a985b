import { z } from 'zod';
import { IdSchema, TimestampSchema, VersionSchema } from '../common/common.schemas.ts';

/**
 * The escalation matrix (issue #5): per severity, either a chain of timed steps (level 1, 2, …), each
 * going to roles with a deadline, or an untimed mode (the incident goes into the next periodic report or
 * the monthly summary). The head of office is alerted at once from `immediateFromSeverity` and for
 * categories marked "always immediate".
 */
export const ESCALATION_TARGETS = ['hq_security', 'head_of_office', 'security_officer', 'admin'] as const;
export const EscalationTargetSchema = z.enum(ESCALATION_TARGETS);
export type EscalationTarget = z.infer<typeof EscalationTargetSchema>;

export const EscalationStepSchema = z.strictObject({
  targets: z
    .array(EscalationTargetSchema)
    .min(1, { message: 'needs at least one role' })
    .max(4)
    .refine((t) => new Set(t).size === t.length, { message: 'names a role twice' }),
  /** Deadline to acknowledge, in minutes (1 minute to 14 days). */
  minutes: z.int().min(1).max(20_160),
});
export type EscalationStep = z.infer<typeof EscalationStepSchema>;

export const SeverityRuleSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('timer'), steps: z.array(EscalationStepSchema).min(1).max(5) }),
  z.strictObject({ mode: z.literal('periodic_report') }),
  z.strictObject({ mode: z.literal('monthly_summary') }),
]);
export type SeverityRule = z.infer<typeof SeverityRuleSchema>;

export const EscalationMatrixSchema = z.strictObject({
  severities: z.strictObject({
    '1': SeverityRuleSchema,
    '2': SeverityRuleSchema,
    '3': SeverityRuleSchema,
    '4': SeverityRuleSchema,
  }),
  immediateFromSeverity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.null()]),
});
export type EscalationMatrix = z.infer<typeof EscalationMatrixSchema>;

/** Defaults: 4 → HQ security within 1 h; 3 → within 24 h; then admin and head of office; 2 → next periodic report; 1 → monthly summary. */
export const DEFAULT_ESCALATION_MATRIX: EscalationMatrix = {
  severities: {
    '4': {
      mode: 'timer',
      steps: [
        { targets: ['hq_security'], minutes: 60 },
        { targets: ['admin', 'head_of_office'], minutes: 60 },
      ],
    },
    '3': {
      mode: 'timer',
      steps: [
        { targets: ['hq_security'], minutes: 24 * 60 },
        { targets: ['admin', 'head_of_office'], minutes: 24 * 60 },
      ],
    },
    '2': { mode: 'periodic_report' },
    '1': { mode: 'monthly_summary' },
  },
  immediateFromSeverity: 3,
};

export const EscalationMatrixViewSchema = z.object({
  officeId: IdSchema,
  matrix: EscalationMatrixSchema,
  /** The office has not set its own: the defaults apply (version 0). */
  isDefault: z.boolean(),
  version: z.int().min(0),
  updatedAt: TimestampSchema.nullable(),
});

export const EscalationMatrixInput = z.strictObject({
  matrix: EscalationMatrixSchema,
  /** 0 the first time (replacing the defaults), then the version read. */
  version: z.union([z.literal(0), VersionSchema]),
});

export const ESCALATION_KINDS = ['timer', 'periodic_report', 'monthly_summary', 'immediate'] as const;
export const ESCALATION_STATUSES = [
  'open',
  'acknowledged',
  'overdue',
  'cancelled',
  'superseded',
  'recorded',
  'sent',
] as const;

export const EscalationSchema = z.object({
  id: IdSchema,
  incidentId: IdSchema,
  officeId: IdSchema,
  reference: z.string(),
  severity: z.int(),
  kind: z.enum(ESCALATION_KINDS),
  level: z.int(),
  targets: z.array(EscalationTargetSchema),
  recipientCount: z.int(),
  minutes: z.int().nullable(),
  startedAt: TimestampSchema,
  dueAt: TimestampSchema.nullable(),
  paused: z.boolean(),
  status: z.enum(ESCALATION_STATUSES),
  overdueAt: TimestampSchema.nullable(),
  acknowledgedAt: TimestampSchema.nullable(),
  acknowledgedBy: IdSchema.nullable(),
  acknowledgedByName: z.string().nullable(),
  /** The caller may acknowledge it now. */
  canAcknowledge: z.boolean(),
});
export type Escalation = z.infer<typeof EscalationSchema>;

export const EscalationListSchema = z.object({ items: z.array(EscalationSchema) });

export const PendingEscalationsQuery = z.strictObject({
  officeId: IdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
