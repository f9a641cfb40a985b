export const SERVER_MAIN: string;
export const SERVER_NODE_FLAGS: string[];
export function isServerBuildCurrent(): boolean;
export function ensureServerBuilt(opts?: { quiet?: boolean }): number;
