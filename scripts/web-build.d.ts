export const ROOT: string;
export function sourceHash(): string;
export function isWebBuildCurrent(): boolean;
export function ensureWebBuilt(opts?: { quiet?: boolean }): number;
