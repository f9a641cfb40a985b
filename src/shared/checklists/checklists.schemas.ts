import { z } from 'zod';
import {
  IdSchema,
  LatitudeSchema,
  LongitudeSchema,
  TimestampSchema,
  text,
  VersionSchema,
} from '../common/common.schemas.ts';

export const ITEM_TYPES = ['yes_no_na', 'number', 'text', 'photo', 'choice'] as const;
export const ItemTypeSchema = z.enum(ITEM_TYPES);
export type ItemType = z.infer<typeof ItemTypeSchema>;

/** Outcome of one answer: counts towards the score (pass/fail), not applicable, or information only. */
export const OUTCOMES = ['pass', 'fail', 'na', 'info'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const RUN_STATUSES = ['in_progress', 'completed'] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const ItemKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, { message: 'must be a short key: lowercase letters, digits, - and _' });

export const ChoiceOptionSchema = z.object({
  value: z.string(),
  label: z.string(),
  labelFr: z.string().nullable(),
  /** Choosing it fails the item (e.g. "poor", "not ready"). */
  failing: z.boolean(),
});
export type ChoiceOption = z.infer<typeof ChoiceOptionSchema>;

export const ChecklistItemSchema = z.object({
  /** Stable within the template across versions: answers and tasks refer to it. */
  id: z.string(),
  section: z.string().nullable(),
  sectionFr: z.string().nullable(),
  label: z.string(),
  labelFr: z.string().nullable(),
  type: ItemTypeSchema,
  required: z.boolean(),
  guidance: z.string().nullable(),
  guidanceFr: z.string().nullable(),
  /** number items: unit shown next to the value and the expected range (either bound may be open). */
  unit: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** choice items. */
  options: z.array(ChoiceOptionSchema),
});
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;

export const ChoiceOptionInput = z.strictObject({
  value: ItemKeySchema,
  label: text(200),
  labelFr: optionalText(200),
  failing: z.boolean().default(false),
});

export const ChecklistItemInput = z
  .strictObject({
    id: ItemKeySchema.optional(),
    section: optionalText(200),
    sectionFr: optionalText(200),
    label: text(500),
    labelFr: optionalText(500),
    type: ItemTypeSchema,
    required: z.boolean().default(false),
    guidance: optionalText(2000),
    guidanceFr: optionalText(2000),
    unit: optionalText(30),
    min: z.number().finite().nullable().optional(),
    max: z.number().finite().nullable().optional(),
    options: z.array(ChoiceOptionInput).max(20).optional(),
  })
  .superRefine((item, ctx) => {
    if (item.type !== 'number' && (item.unit != null || item.min != null || item.max != null))
      ctx.addIssue({ code: 'custom', path: ['unit'], message: 'unit, min and max are for number items only' });
    if (item.min != null && item.max != null && item.min > item.max)
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'min must not be greater than max' });
    if (item.type === 'choice') {
      const values = (item.options ?? []).map((o) => o.value);
      if (values.length < 2)
        ctx.addIssue({ code: 'custom', path: ['options'], message: 'a choice item needs at least two options' });
      if (new Set(values).size !== values.length)
        ctx.addIssue({ code: 'custom', path: ['options'], message: 'option values must be unique' });
    } else if (item.options?.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'options are for choice items only' });
    }
  });
export type ChecklistItemInput = z.input<typeof ChecklistItemInput>;

const ItemsInput = z
  .array(ChecklistItemInput)
  .min(1, { message: 'a checklist needs at least one item' })
  .max(300)
  .superRefine((items, ctx) => {
    const ids = items.map((i) => i.id).filter((id): id is string => id !== undefined);
    const seen = new Set<string>();
    for (const [n, id] of ids.entries()) {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [n, 'id'], message: `item id ${id} is used twice` });
      seen.add(id);
    }
  });

export const TemplateCreateInput = z.strictObject({
  name: text(200),
  nameFr: optionalText(200),
  description: optionalText(2000),
  items: ItemsInput,
});
export type TemplateCreateInput = z.input<typeof TemplateCreateInput>;

export const TemplateUpdateInput = z.strictObject({
  name: text(200).optional(),
  nameFr: optionalText(200),
  description: optionalText(2000),
  items: ItemsInput.optional(),
  version: VersionSchema,
});
export type TemplateUpdateInput = z.input<typeof TemplateUpdateInput>;

export const TemplateSummarySchema = z.object({
  id: IdSchema,
  /** Null: a global template, offered to every office. */
  officeId: IdSchema.nullable(),
  builtinKey: z.string().nullable(),
  name: z.string(),
  nameFr: z.string().nullable(),
  description: z.string().nullable(),
  /** The current content version (runs pin the version they used). */
  templateVersion: z.int(),
  itemCount: z.int(),
  version: VersionSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;

export const TemplateSchema = TemplateSummarySchema.extend({
  /** Id of the content version shown (`templateVersion`). */
  templateVersionId: IdSchema,
  items: z.array(ChecklistItemSchema),
});
export type Template = z.infer<typeof TemplateSchema>;

export const RunStartInput = z
  .strictObject({
    templateId: IdSchema,
    siteId: IdSchema.nullable().optional(),
    /** When it was done (defaults to now). */
    startedAt: TimestampSchema.optional(),
    /** Who did it, as names (defaults to the caller's name). */
    performedBy: text(300).optional(),
    /** Where: free text, and optionally a point. */
    location: optionalText(500),
    latitude: LatitudeSchema.nullable().optional(),
    longitude: LongitudeSchema.nullable().optional(),
  })
  .refine((s) => (s.latitude == null) === (s.longitude == null), {
    message: 'latitude and longitude go together: give both or neither',
    path: ['latitude'],
  });
export type RunStartInput = z.input<typeof RunStartInput>;

export const AnswerInput = z.strictObject({
  /**
   * yes_no_na: "yes" | "no" | "na"; number: a number; text: the text; photo: the id of an attachment
   * on this run; choice: an option value. `null` (without `na`) clears the answer.
   */
  value: z.union([z.string().max(5000), z.number().finite(), z.null()]),
  /** Not applicable (any item type). */
  na: z.boolean().default(false),
  note: optionalText(2000),
  /** The answer's version it was read at; leave out for a first answer. */
  version: VersionSchema.optional(),
});
export type AnswerInput = z.input<typeof AnswerInput>;

export const AnswerSchema = z.object({
  itemId: z.string(),
  value: z.union([z.string(), z.number(), z.null()]),
  na: z.boolean(),
  note: z.string().nullable(),
  outcome: z.enum(OUTCOMES),
  answeredBy: IdSchema.nullable(),
  answeredAt: TimestampSchema,
  version: VersionSchema,
});
export type Answer = z.infer<typeof AnswerSchema>;

export const RunSummarySchema = z.object({
  id: IdSchema,
  officeId: IdSchema,
  templateId: IdSchema,
  templateVersionId: IdSchema,
  templateVersion: z.int(),
  title: z.string(),
  titleFr: z.string().nullable(),
  siteId: IdSchema.nullable(),
  status: RunStatusSchema,
  performedBy: z.string(),
  startedBy: IdSchema.nullable(),
  startedAt: TimestampSchema,
  location: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  completedAt: TimestampSchema.nullable(),
  completedBy: IdSchema.nullable(),
  /** % of applicable items passing (N/A and information items do not count); null when none apply. */
  score: z.number().nullable(),
  failedCount: z.int().nullable(),
  version: VersionSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunSchema = RunSummarySchema.extend({
  items: z.array(ChecklistItemSchema),
  answers: z.array(AnswerSchema),
  progress: z.object({
    answered: z.int(),
    total: z.int(),
    passed: z.int(),
    failed: z.int(),
    applicable: z.int(),
  }),
  /** Required items still without an answer. */
  missingRequired: z.array(z.string()),
  failedItems: z.array(z.object({ itemId: z.string(), label: z.string(), taskId: IdSchema.nullable() })),
});
export type Run = z.infer<typeof RunSchema>;

export const ItemTaskInput = z.strictObject({
  /** Defaults to the item's label. */
  title: text(300).optional(),
  description: optionalText(5000),
  ownerUserId: IdSchema.nullable().optional(),
  dueAt: z.iso
    .datetime({ offset: true, message: 'must be an ISO-8601 date and time with a zone' })
    .nullable()
    .optional(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
});
export type ItemTaskInput = z.input<typeof ItemTaskInput>;

export const TEMPLATE_SORTS = ['name', '-name', 'updatedAt', '-updatedAt'] as const;
export const RUN_SORTS = ['startedAt', '-startedAt', 'updatedAt', '-updatedAt'] as const;
