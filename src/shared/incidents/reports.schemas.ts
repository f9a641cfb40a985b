import { z } from 'zod';
import { IdSchema, TimestampSchema, VersionSchema } from '../common/common.schemas.ts';
import { LANGUAGES } from '../offices/offices.schemas.ts';
import { INCIDENT_DOMAINS, INCIDENT_STATUSES, IncidentSeveritySchema } from './incidents.enums.ts';

/**
 * Reports and interoperability of incidents (issue #5, part D): the incident report (PDF, DOCX) from a
 * per-office template, the redacted staff advisory, the statistics report, STIX 2.1 / MISP / AWSD exports.
 */

export const ReportLangSchema = z.enum(LANGUAGES);
export type ReportLang = z.infer<typeof ReportLangSchema>;

/** `?lang=` on every document; absent → the caller's language, then the office's. */
export const ReportLangQuery = z.strictObject({ lang: ReportLangSchema.optional() });

/** The sections of an incident report, in their default order. */
export const REPORT_SECTIONS = ['summary', 'narrative', 'timeline', 'evidence', 'communications', 'closure'] as const;
export const ReportSectionSchema = z.enum(REPORT_SECTIONS);
export type ReportSection = z.infer<typeof ReportSectionSchema>;

const plain = (max: number) =>
  z
    .string()
    .max(max, { message: `must be at most ${max} characters` })
    .transform((s) => s.trim());

export const ReportTemplateSchema = z.object({
  officeId: IdSchema,
  headerText: z.string(),
  footerText: z.string(),
  sections: z.array(ReportSectionSchema),
  /** True while the office has not saved its own: the default is shown (version 0). */
  isDefault: z.boolean(),
  updatedBy: IdSchema.nullable(),
  updatedAt: TimestampSchema.nullable(),
  /** 0 for the default template: PUT with version 0 saves the office's first own template. */
  version: z.int().min(0),
});
export type ReportTemplate = z.infer<typeof ReportTemplateSchema>;

export const ReportTemplateInput = z.strictObject({
  headerText: plain(500),
  footerText: plain(300),
  sections: z
    .array(ReportSectionSchema)
    .min(1, { message: 'choose at least one section' })
    .max(REPORT_SECTIONS.length)
    .refine((s) => new Set(s).size === s.length, { message: 'each section at most once' }),
  version: z.union([z.literal(0), VersionSchema]),
});
export type ReportTemplateInput = z.infer<typeof ReportTemplateInput>;

/** The staff advisory is only ever TLP:CLEAR or TLP:GREEN. */
export const ADVISORY_TLPS = ['clear', 'green'] as const;
export const AdvisoryQuery = z.strictObject({
  lang: ReportLangSchema.optional(),
  tlp: z.enum(ADVISORY_TLPS).default('green'),
});

export const AdvisorySchema = z.object({
  incidentId: IdSchema,
  lang: ReportLangSchema,
  tlp: z.enum(ADVISORY_TLPS),
  title: z.string(),
  /** City and country, never an address. */
  where: z.string(),
  /** The date only (office's calendar day), never the time. */
  when: z.string(),
  summary: z.string(),
  advice: z.array(z.string()),
  /** Technical indicators staff may block or watch for (never e-mail addresses, phone numbers or plates). */
  indicators: z.array(z.object({ type: z.string(), value: z.string() })),
  markdown: z.string(),
});
export type Advisory = z.infer<typeof AdvisorySchema>;

export const EXPORT_FORMATS = ['stix', 'misp', 'awsd-csv'] as const;

const isoDate = z.iso.date().or(TimestampSchema);
export const IncidentExportFilterSchema = z.strictObject({
  officeId: IdSchema.optional(),
  status: z.enum(INCIDENT_STATUSES).optional(),
  severity: IncidentSeveritySchema.optional(),
  domain: z.enum(INCIDENT_DOMAINS).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  reportedFrom: isoDate.optional(),
  reportedTo: isoDate.optional(),
});

/** At most this many incidents in one export. */
export const EXPORT_MAX = 1000;

export const IncidentExportInput = z
  .strictObject({
    ids: z
      .array(IdSchema)
      .min(1)
      .max(EXPORT_MAX)
      .refine((s) => new Set(s).size === s.length, { message: 'each id at most once' })
      .optional(),
    filter: IncidentExportFilterSchema.optional(),
    format: z.enum(EXPORT_FORMATS),
  })
  .refine((v) => (v.ids === undefined) !== (v.filter === undefined), {
    message: 'give either ids or filter',
    path: ['ids'],
  });
export type IncidentExportInput = z.infer<typeof IncidentExportInput>;

export const StatisticsQuery = z.strictObject({
  period: z.enum(['month', 'year']).default('month'),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  month: z.coerce.number().int().min(1).max(12).optional(),
  lang: ReportLangSchema.optional(),
});
export type StatisticsQuery = z.infer<typeof StatisticsQuery>;

/** A STIX 2.1 bundle as served (every object kept as it is). */
export const StixBundleSchema = z.looseObject({
  type: z.literal('bundle'),
  id: z.string(),
  objects: z.array(z.looseObject({ type: z.string(), id: z.string() })),
});
