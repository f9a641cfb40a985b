/** Row types for migration 0013 (per-office report templates). The helper building it fills this in. */
// biome-ignore lint/complexity/noBannedTypes: a slot filled in by the module that owns it
export type IncidentReportTables = {};
