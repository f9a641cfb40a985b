/** Row types for migration 0011 (escalation matrix per office, escalation steps and their timers). The helper building it fills this in. */
// biome-ignore lint/complexity/noBannedTypes: a slot filled in by the module that owns it
export type IncidentEscalationTables = {};
