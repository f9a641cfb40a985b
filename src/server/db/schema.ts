import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AttachmentTables } from './tables/attachments.ts';
import type { ChecklistTables } from './tables/checklists.ts';
import type { IncidentEscalationTables } from './tables/incident-escalation.ts';
import type { IncidentInvestigationTables } from './tables/incident-investigation.ts';
import type { IncidentReportTables } from './tables/incident-reports.ts';
import type { IncidentTables } from './tables/incidents.ts';
import type { NotificationTables } from './tables/notifications.ts';
import type { SearchTables } from './tables/search.ts';
import type { TaskTables } from './tables/tasks.ts';

/**
 * Table types. Portable choices (ADR 0002): text ids (UUIDv7), ISO-8601 UTC text timestamps of fixed
 * width, integers 0/1 for booleans, JSON as text, `double precision` for coordinates.
 */
export interface OfficesTable {
  id: string;
  code: string;
  name: string;
  countries: string; // JSON array of ISO 3166-1 alpha-2 codes
  timezone: string;
  default_language: string;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface SitesTable {
  id: string;
  office_id: string;
  name: string;
  kind: string;
  address: string | null;
  city: string | null;
  country: string;
  latitude: number | null;
  longitude: number | null;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface PersonsTable {
  id: string;
  office_id: string | null;
  display_name: string;
  email: string | null;
  job_title: string | null;
  phone: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface UsersTable {
  id: string;
  person_id: string;
  email: string;
  password_hash: string | null;
  role: string;
  language: string | null;
  must_change_password: number;
  is_disabled: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface UserOfficesTable {
  user_id: string;
  office_id: string;
}

export interface SessionsTable {
  id: string; // SHA-256 of the token; the token itself is never stored
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  /** 1 while the password is checked but the second factor is not yet given. */
  mfa_pending: number;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_start: string;
  last_failure_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scope: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface UserMfaTable {
  user_id: string;
  totp_secret: string;
  enabled_at: string | null;
  last_used_step: number | null;
  created_at: string;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface AuditLogTable {
  seq: number;
  id: string;
  at: string;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  office_id: string | null;
  request_id: string | null;
  changes: string | null; // JSON: { field: [before, after] } or a summary object
  prev_hash: string;
  hash: string;
}

export interface InstanceSettingsTable {
  key: string;
  value: string;
}

export interface WebauthnCredentialsTable {
  id: string;
  user_id: string;
  name: string;
  public_key: string;
  counter: number;
  transports: string;
  created_at: string;
  last_used_at: string | null;
}

export interface WebauthnChallengesTable {
  challenge: string;
  purpose: string;
  user_id: string | null;
  expires_at: string;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface DB
  extends TaskTables,
    NotificationTables,
    AttachmentTables,
    ChecklistTables,
    SearchTables,
    IncidentTables,
    IncidentEscalationTables,
    IncidentInvestigationTables,
    IncidentReportTables {
  offices: OfficesTable;
  sites: SitesTable;
  persons: PersonsTable;
  users: UsersTable;
  user_offices: UserOfficesTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  instance_settings: InstanceSettingsTable;
  login_throttle: LoginThrottleTable;
  api_tokens: ApiTokensTable;
  user_mfa: UserMfaTable;
  recovery_codes: RecoveryCodesTable;
  webauthn_credentials: WebauthnCredentialsTable;
  webauthn_challenges: WebauthnChallengesTable;
  password_resets: PasswordResetsTable;
}

export type OfficeRow = Selectable<OfficesTable>;
export type SiteRow = Selectable<SitesTable>;
export type PersonRow = Selectable<PersonsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
export type OfficeUpdate = Updateable<OfficesTable>;
