import { z } from 'zod';
import { RoleSchema } from '../auth/auth.schemas.ts';
import { IdSchema, TimestampSchema, VersionSchema } from '../common/common.schemas.ts';

export const UserSchema = z.object({
  id: IdSchema,
  personId: IdSchema,
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  officeCodes: z.array(z.string()),
  isDisabled: z.boolean(),
  mustChangePassword: z.boolean(),
  version: VersionSchema,
  createdAt: TimestampSchema,
});
export type User = z.infer<typeof UserSchema>;
