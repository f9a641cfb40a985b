import { z } from 'zod';
import { IdSchema } from '../common/common.schemas.ts';
import { LanguageSchema } from '../offices/offices.schemas.ts';
import { ROLES } from '../permissions.ts';

export const RoleSchema = z.enum(ROLES);
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an e-mail address' }));
export const PASSWORD_MIN = 12;
export const NewPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, { message: `must be at least ${PASSWORD_MIN} characters` })
  .max(256, { message: 'must be at most 256 characters' });

export const MeSchema = z.object({
  userId: IdSchema,
  personId: IdSchema,
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  language: LanguageSchema.nullable(),
  mustChangePassword: z.boolean(),
  offices: z.array(z.object({ id: IdSchema, code: z.string(), name: z.string() })),
  allOffices: z.boolean(),
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof MeSchema>;

export const LoginInput = z.strictObject({
  email: EmailSchema,
  password: z.string().min(1, { message: 'must not be empty' }).max(256),
});
export const ChangePasswordInput = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: NewPasswordSchema,
});
