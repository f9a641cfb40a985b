import { z } from 'zod';
import { CountryCodeSchema, IdSchema, TimestampSchema, text, VersionSchema } from '../common/common.schemas.ts';

export const LANGUAGES = ['en', 'fr'] as const;
export const LanguageSchema = z.enum(LANGUAGES);

export const OfficeCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9]{1,9}$/, { message: 'must be 2 to 10 letters or digits, starting with a letter, e.g. TBS' });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}
export const TimeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, { message: 'must be an IANA time zone, e.g. Asia/Tbilisi' });

export const OfficeSchema = z.object({
  id: IdSchema,
  code: z.string(),
  name: z.string(),
  countries: z.array(z.string()),
  timezone: z.string(),
  defaultLanguage: LanguageSchema,
  version: VersionSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Office = z.infer<typeof OfficeSchema>;

const officeFields = {
  code: OfficeCodeSchema,
  name: text(200),
  countries: z
    .array(CountryCodeSchema)
    .min(1, { message: 'must list at least one country' })
    .max(50)
    .refine((a) => new Set(a).size === a.length, { message: 'must not repeat a country' }),
  timezone: TimeZoneSchema,
  defaultLanguage: LanguageSchema.default('en'),
};

export const OfficeCreateInput = z.strictObject(officeFields);
export type OfficeCreateInput = z.input<typeof OfficeCreateInput>;

export const OfficeUpdateInput = z.strictObject({
  name: officeFields.name.optional(),
  countries: officeFields.countries.optional(),
  timezone: officeFields.timezone.optional(),
  defaultLanguage: LanguageSchema.optional(),
  version: VersionSchema,
});
export type OfficeUpdateInput = z.input<typeof OfficeUpdateInput>;

export const OFFICE_SORTS = ['code', '-code', 'name', '-name', 'createdAt', '-createdAt'] as const;
