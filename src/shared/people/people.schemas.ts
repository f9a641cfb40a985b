import { z } from 'zod';
import { IdSchema, TimestampSchema, text, VersionSchema } from '../common/common.schemas.ts';

/** A person: staff member or other individual of an office. The people module (duty of care) extends it. */
export const PersonSchema = z.object({
  id: IdSchema,
  officeId: IdSchema.nullable(),
  displayName: z.string(),
  email: z.string().nullable(),
  jobTitle: z.string().nullable(),
  phone: z.string().nullable(),
  version: VersionSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Person = z.infer<typeof PersonSchema>;

export const PersonCreateInput = z.strictObject({
  displayName: text(200),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .pipe(z.email({ message: 'must be an e-mail address' }))
    .nullable()
    .optional(),
  jobTitle: z.string().trim().max(200).nullable().optional(),
  phone: z
    .string()
    .trim()
    .max(40)
    .regex(/^[+0-9 ()./-]*$/, { message: 'must be a phone number, e.g. +995 32 200 00 00' })
    .nullable()
    .optional(),
});
export type PersonCreateInput = z.input<typeof PersonCreateInput>;
