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
  'task.read',
  'task.write',
  'task.self',
  'checklist.read',
  'checklist.run',
  'checklist.manage',
  'attachment.read',
  'attachment.write',
  'notification.self',
  'integration.manage',
  'search.use',
  'calendar.self',
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
    'task.read',
    'task.write',
    'checklist.read',
    'checklist.run',
    'checklist.manage',
    'attachment.read',
    'attachment.write',
    'task.self',
    'notification.self',
    'search.use',
    'calendar.self',
  ],
  head_of_office: [
    'office.read',
    'site.read',
    'person.read',
    'user.read',
    'audit.read',
    'task.read',
    'task.write',
    'checklist.read',
    'attachment.read',
    'attachment.write',
    'task.self',
    'notification.self',
    'search.use',
    'calendar.self',
  ],
  staff: [
    'office.read',
    'site.read',
    // Staff run inspections and comms checks: they read the templates and runs of their office too.
    'checklist.read',
    'checklist.run',
    'attachment.read',
    'attachment.write',
    'task.self',
    'notification.self',
    'search.use',
    'calendar.self',
  ],
  hq_security: [
    'office.read',
    'site.read',
    'person.read',
    'user.read',
    'audit.read',
    'office.export',
    'task.read',
    'task.write',
    'checklist.read',
    'attachment.read',
    'attachment.write',
    'task.self',
    'notification.self',
    'search.use',
    'calendar.self',
  ],
  auditor: [
    'office.read',
    'site.read',
    'person.read',
    'user.read',
    'audit.read',
    'task.read',
    'checklist.read',
    'attachment.read',
    'task.self',
    'notification.self',
    'search.use',
    'calendar.self',
  ],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
