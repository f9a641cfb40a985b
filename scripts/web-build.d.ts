export const ROOT: string;
export function files(p: string): Generator<string>;
export function hashOf(inputs: string[], skip?: (file: string) => boolean): string;
export function sourceHash(): string;
export function isWebBuildCurrent(): boolean;
export function ensureWebBuilt(opts?: { quiet?: boolean }): number;
