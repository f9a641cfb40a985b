/** Row types for migration 0012 (timeline, evidence, chain of custody, communications log, links). The helper building it fills this in. */
// biome-ignore lint/complexity/noBannedTypes: a slot filled in by the module that owns it
export type IncidentInvestigationTables = {};
