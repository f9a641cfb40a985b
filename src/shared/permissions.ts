/**
 * Roles and what each may do. This table is the single source: the server enforces it, the web
 * hides what a role cannot do, and `docs/permissions.md` is generated from it (checked for drift).
 */
export const ROLES = ['admin', 'security_officer', 'head_of_office', 'staff', 'hq_security', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'office.read',
  'office.create',
  'office.update',
  'office.delete',
  'site.read',
  'site.write',
  'person.read',
  'person.write',
  'user.read',
  'user.manage',
  'audit.read',
  'office.export',
  'policy.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Roles that see every office rather than only those they belong to. */
export const CROSS_OFFICE_ROLES: readonly Role[] = ['admin', 'hq_security', 'auditor'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  security_officer: [
    'office.read',
    'office.update',
    'site.read',
    'site.write',
    'person.read',
    'person.write',
    'user.read',
    'office.export',
  ],
  head_of_office: ['office.read', 'site.read', 'person.read', 'user.read', 'audit.read'],
  staff: ['office.read', 'site.read'],
  hq_security: ['office.read', 'site.read', 'person.read', 'user.read', 'audit.read', 'office.export'],
  auditor: ['office.read', 'site.read', 'person.read', 'user.read', 'audit.read'],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
