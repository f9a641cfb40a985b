/** Tables of the notifications building block and the scheduler (DDL in migrations/0006-notifications.ts). */
export interface NotificationsTable {
  id: string;
  /** One notify() call: shared by its inbox rows and outbox messages. */
  event_id: string;
  user_id: string;
  kind: string;
  office_id: string | null;
  entity_type: string;
  entity_id: string;
  params: string; // JSON
  actor_user_id: string | null;
  actor_label: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationOutboxTable {
  id: string;
  event_id: string;
  channel: string; // email | webhook
  kind: string;
  notification_id: string | null;
  user_id: string | null;
  webhook_id: string | null;
  office_id: string | null;
  entity_type: string;
  entity_id: string;
  params: string; // JSON
  occurred_at: string;
  status: string; // pending | delivered | failed | cancelled
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  last_status_code: number | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface NotificationAttemptsTable {
  id: string;
  outbox_id: string;
  attempt: number;
  at: string;
  ok: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface NotificationPreferencesTable {
  user_id: string;
  email_off: string; // JSON array of kinds
  digest: number;
  last_digest_at: string | null;
  version: number;
  updated_at: string;
}

export interface WebhooksTable {
  id: string;
  name: string;
  url: string;
  secret: string; // sealed
  kinds: string; // JSON array
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface SmtpSettingsTable {
  id: string;
  host: string;
  port: number;
  security: string;
  username: string | null;
  password: string | null; // sealed
  from_address: string;
  version: number;
  updated_at: string;
}

export interface SchedulerJobsTable {
  name: string;
  cron: string;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  last_instance: string | null;
  runs: number;
  failures: number;
  consecutive_failures: number;
}

export interface NotificationTables {
  notifications: NotificationsTable;
  notification_outbox: NotificationOutboxTable;
  notification_attempts: NotificationAttemptsTable;
  notification_preferences: NotificationPreferencesTable;
  webhooks: WebhooksTable;
  smtp_settings: SmtpSettingsTable;
  scheduler_jobs: SchedulerJobsTable;
}
