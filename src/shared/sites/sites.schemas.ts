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

export const SITE_KINDS = ['office_premises', 'residence_compound', 'warehouse', 'other'] as const;
export const SiteKindSchema = z.enum(SITE_KINDS);

export const SiteSchema = z.object({
  id: IdSchema,
  officeId: IdSchema,
  name: z.string(),
  kind: SiteKindSchema,
  address: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  notes: z.string().nullable(),
  version: VersionSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Site = z.infer<typeof SiteSchema>;

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

const siteFields = {
  name: text(200),
  kind: SiteKindSchema,
  address: optionalText(500),
  city: optionalText(200),
  country: CountryCodeSchema,
  latitude: LatitudeSchema.nullable().optional(),
  longitude: LongitudeSchema.nullable().optional(),
  notes: optionalText(5000),
};

const pointIsWhole = (s: { latitude?: number | null; longitude?: number | null }) =>
  (s.latitude == null) === (s.longitude == null);
const pointMessage = { message: 'latitude and longitude go together: give both or neither', path: ['latitude'] };

export const SiteCreateInput = z.strictObject(siteFields).refine(pointIsWhole, pointMessage);
export type SiteCreateInput = z.input<typeof SiteCreateInput>;

export const SiteUpdateInput = z
  .strictObject({
    name: siteFields.name.optional(),
    kind: siteFields.kind.optional(),
    address: siteFields.address,
    city: siteFields.city,
    country: siteFields.country.optional(),
    latitude: siteFields.latitude,
    longitude: siteFields.longitude,
    notes: siteFields.notes,
    version: VersionSchema,
  })
  .refine((s) => (s.latitude === undefined) === (s.longitude === undefined) && pointIsWhole(s), pointMessage);
export type SiteUpdateInput = z.input<typeof SiteUpdateInput>;

export const SITE_SORTS = ['name', '-name', 'kind', '-kind', 'createdAt', '-createdAt'] as const;
