import { z } from 'zod';

/**
 * The incident vocabulary shared by the server, the web app and the exports (issue #5). Every list here
 * is closed: the server's types accept only these, the web translates each value (`incidents.<list>.<value>`).
 */
export const INCIDENT_DOMAINS = ['cyber', 'information_security', 'physical', 'personnel_safety', 'mixed'] as const;
export const IncidentDomainSchema = z.enum(INCIDENT_DOMAINS);
export type IncidentDomain = z.infer<typeof IncidentDomainSchema>;

export const INCIDENT_DETERMINATIONS = ['suspected', 'confirmed', 'near_miss', 'attempt', 'false_positive'] as const;
export const IncidentDeterminationSchema = z.enum(INCIDENT_DETERMINATIONS);
export type IncidentDetermination = z.infer<typeof IncidentDeterminationSchema>;

/**
 * Workflow: reported → triaged → investigating → contained → resolved → closed, plus the side states
 * `awaiting_external` (timers paused), `rejected` and `duplicate` (terminal, like `closed`).
 */
export const INCIDENT_STATUSES = [
  'reported',
  'triaged',
  'investigating',
  'contained',
  'awaiting_external',
  'resolved',
  'closed',
  'rejected',
  'duplicate',
] as const;
export const IncidentStatusSchema = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;
export const TERMINAL_INCIDENT_STATUSES: readonly IncidentStatus[] = ['closed', 'rejected', 'duplicate'];

/** 1 = minor … 4 = critical. Written impact criteria live with the web's translations and the docs. */
export const INCIDENT_SEVERITIES = [1, 2, 3, 4] as const;
export const IncidentSeveritySchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type IncidentSeverity = z.infer<typeof IncidentSeveritySchema>;

/** TLP 2.0 (FIRST). */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export const TlpSchema = z.enum(TLP_LEVELS);
export type Tlp = z.infer<typeof TlpSchema>;

export const INCIDENT_REPORT_CHANNELS = ['app', 'quick_report', 'phone', 'walk_in', 'email', 'other'] as const;
export const IncidentReportChannelSchema = z.enum(INCIDENT_REPORT_CHANNELS);

export const INCIDENT_LOCATION_TYPES = [
  'office',
  'residence',
  'vehicle',
  'road',
  'public_place',
  'field_site',
  'hotel',
  'airport',
  'online',
  'other',
] as const;
export const IncidentLocationTypeSchema = z.enum(INCIDENT_LOCATION_TYPES);

export const INCIDENT_ACTOR_TYPES = [
  'unknown',
  'criminal',
  'state',
  'non_state_armed_group',
  'insider',
  'hacktivist',
  'opportunist',
  'civilian',
  'natural',
  'accidental',
] as const;
export const IncidentActorTypeSchema = z.enum(INCIDENT_ACTOR_TYPES);

export const OBSERVABLE_TYPES = [
  'ipv4',
  'ipv6',
  'domain',
  'url',
  'email',
  'md5',
  'sha1',
  'sha256',
  'file_name',
  'phone',
  'vehicle_plate',
  'other',
] as const;
export const ObservableTypeSchema = z.enum(OBSERVABLE_TYPES);
