export interface Failing {
  package: string;
  id: string;
  severity: string;
  title: string;
  url: string;
  expired: boolean;
}
export function evaluate(
  report: { vulnerabilities?: Record<string, { via?: unknown[] }> },
  allow: { advisories?: { id: string | number; until?: string }[] },
  today?: string,
): Failing[];
