/** Tables of the checklists building block (migration files own the DDL; these are the row types). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the module lands
export interface ChecklistTables {}
