import { readStored, writeStored } from '../../lib/storage.ts';

/**
 * The staff quick report's draft, kept on the device until the server has it: a phone on a bad connection
 * must not lose what was typed. The `clientKey` is made once per draft and sent with every attempt, so
 * the server answers a resend with the incident it already made instead of making a second one.
 */
export interface QuickReportDraft {
  clientKey: string;
  officeId: string;
  what: string;
  where: string;
  /** `datetime-local` value. */
  when: string;
  anyoneHurt: boolean | null;
  helpNeeded: string;
  latitude?: number | undefined;
  longitude?: number | undefined;
  /** `pending`: sending failed (offline or server error) and will be tried again. */
  state: 'editing' | 'pending';
  failedAt?: string | undefined;
}

export function draftKey(userId: string): string {
  return `outpost.incidents.quickReport.${userId}`;
}

export function newClientKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Older browsers: a v4 UUID from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function emptyDraft(officeId: string, now: string): QuickReportDraft {
  return {
    clientKey: newClientKey(),
    officeId,
    what: '',
    where: '',
    when: now,
    anyoneHurt: null,
    helpNeeded: '',
    state: 'editing',
  };
}

export function loadDraft(userId: string): QuickReportDraft | undefined {
  const raw = readStored(draftKey(userId));
  if (!raw) return undefined;
  try {
    const d = JSON.parse(raw) as Partial<QuickReportDraft>;
    if (typeof d.clientKey !== 'string' || typeof d.officeId !== 'string') return undefined;
    return {
      clientKey: d.clientKey,
      officeId: d.officeId,
      what: typeof d.what === 'string' ? d.what : '',
      where: typeof d.where === 'string' ? d.where : '',
      when: typeof d.when === 'string' ? d.when : '',
      anyoneHurt: typeof d.anyoneHurt === 'boolean' ? d.anyoneHurt : null,
      helpNeeded: typeof d.helpNeeded === 'string' ? d.helpNeeded : '',
      latitude: typeof d.latitude === 'number' ? d.latitude : undefined,
      longitude: typeof d.longitude === 'number' ? d.longitude : undefined,
      state: d.state === 'pending' ? 'pending' : 'editing',
      failedAt: typeof d.failedAt === 'string' ? d.failedAt : undefined,
    };
  } catch {
    return undefined;
  }
}

export function saveDraft(userId: string, draft: QuickReportDraft | undefined): void {
  writeStored(draftKey(userId), draft ? JSON.stringify(draft) : undefined);
}

/** Whether a failed send is worth trying again as is (no answer, or the server failed) — not a refusal. */
export function isRetryable(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}
