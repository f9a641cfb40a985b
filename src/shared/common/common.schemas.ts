import { z } from 'zod';

export const IdSchema = z.uuid({ message: 'must be an identifier (UUID)' });
/** ISO-8601 UTC timestamp of fixed width, e.g. 2026-11-28T09:30:00.000Z. */
export const TimestampSchema = z.iso.datetime({ precision: 3 });
export const VersionSchema = z.int().min(1).max(2_147_483_647);

export const IdParamsSchema = z.strictObject({ id: IdSchema });

/** RFC 9457 problem document. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  /** Field-level details: `path` names the field, `code` is stable (for translation), `message` is English. */
  errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  currentVersion: z.int().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const LIMIT_MAX = 200;
export const ListQueryBase = {
  limit: z.coerce.number().int().min(1).max(LIMIT_MAX).default(50),
  cursor: z.string().max(512).optional(),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const EmptySchema = z.object({});

/** Text that must not be blank once trimmed; trimmed on parse. */
export function text(max: number) {
  return z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(max, { message: `must be at most ${max} characters` });
}

export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code, e.g. GE' });

export const LatitudeSchema = z.number().min(-90).max(90);
export const LongitudeSchema = z.number().min(-180).max(180);
