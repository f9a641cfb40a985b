import ical from 'ical-generator';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { assertCan, type Ctx } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { Forbidden, NotFound } from '../../lib/errors.ts';
import { newId, newToken, sha256Hex } from '../../lib/ids.ts';
import type { AuditService } from '../audit/audit.service.ts';
import * as repo from './calendar.repository.ts';
import type { CalendarSource } from './calendar.types.ts';

export type { CalendarEvent, CalendarSource } from './calendar.types.ts';
export type CalendarService = ReturnType<typeof createCalendarService>;

/** Feed tokens are recognisable (like API tokens' `opt_`), 256 random bits, stored only as SHA-256. */
export const FEED_TOKEN_PREFIX = 'ocf_';
const TOUCH_EVERY_MS = 3600_000;

/**
 * Per-user iCalendar feeds. Modules contribute events through `registerSource`; a feed is the union of
 * every source's events for its user. The token stands for the user: calendar apps cannot sign in.
 */
export function createCalendarService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  baseUrl: string;
  /** False for unknown or disabled accounts: their feed answers 404. */
  isActiveUser: (userId: string) => Promise<boolean>;
}) {
  const { db, clock, audit, baseUrl } = deps;
  const sources: CalendarSource[] = [];
  const me = (ctx: Ctx) => {
    assertCan(ctx, 'calendar.self');
    const a = ctx.actor;
    if (!a) throw new Forbidden('Only a signed-in user has a calendar feed.');
    return a;
  };
  const feedUrl = (token: string) => `${baseUrl.replace(/\/$/, '')}/api/v1/calendar/feed/${token}.ics`;

  return {
    registerSource(source: CalendarSource): void {
      if (sources.some((s) => s.name === source.name))
        throw new Error(`calendar source ${source.name} registered twice`);
      sources.push(source);
    },

    async status(ctx: Ctx) {
      const a = me(ctx);
      const row = await repo.findByUser(db, a.userId);
      return { active: !!row, createdAt: row?.created_at ?? null, lastUsedAt: row?.last_used_at ?? null };
    },

    /** A new feed link for the caller; any previous link stops working. The token is returned once. */
    async rotate(ctx: Ctx): Promise<{ token: string; url: string; createdAt: string }> {
      const a = me(ctx);
      const token = `${FEED_TOKEN_PREFIX}${newToken()}`;
      const createdAt = isoNow(clock);
      const id = newId();
      await db.transaction().execute(async (trx) => {
        const replaced = await repo.removeOfUser(trx, a.userId);
        await repo.insert(trx, {
          id,
          user_id: a.userId,
          token_hash: sha256Hex(token),
          created_at: createdAt,
          last_used_at: null,
        });
        await audit.record(trx, ctx, {
          action: 'calendar.feed_create',
          entityType: 'calendar_feed',
          entityId: id,
          changes: { userId: a.userId, replacedPrevious: replaced > 0 },
        });
      });
      return { token, url: feedUrl(token), createdAt };
    },

    async revoke(ctx: Ctx): Promise<void> {
      const a = me(ctx);
      await db.transaction().execute(async (trx) => {
        const row = await repo.findByUser(trx, a.userId);
        if (!row) throw new NotFound('You have no calendar feed.');
        await repo.removeOfUser(trx, a.userId);
        await audit.record(trx, ctx, {
          action: 'calendar.feed_revoke',
          entityType: 'calendar_feed',
          entityId: row.id,
          changes: { userId: a.userId },
        });
      });
    },

    /** The feed behind a token, as iCalendar text; 404 for a token that is unknown, revoked or of a disabled user. */
    async feed(token: string): Promise<string> {
      if (!token.startsWith(FEED_TOKEN_PREFIX) || token.length > 200) throw new NotFound('No such calendar feed.');
      const row = await repo.findByHash(db, sha256Hex(token));
      if (!row || !(await deps.isActiveUser(row.user_id))) throw new NotFound('No such calendar feed.');
      const now = clock.now();
      if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS)
        await repo.touch(db, row.id, now.toISOString());
      const host = new URL(baseUrl).host || 'outpost';
      const cal = ical({
        name: 'Outpost',
        description: 'Your tasks and recurring work in Outpost',
        prodId: { company: 'Outpost', product: 'Outpost', language: 'EN' },
        ttl: 3600,
      });
      for (const source of sources) {
        for (const e of await source.eventsFor(row.user_id, now)) {
          cal.createEvent({
            id: `${e.uid}@${host}`,
            stamp: now,
            start: e.start,
            end: e.end ?? null,
            allDay: e.allDay ?? false,
            summary: e.summary,
            description: e.description ?? null,
            repeating: e.rrule ? `RRULE:${e.rrule}` : null,
            categories: (e.categories ?? []).map((name) => ({ name })),
            url: e.path ? `${baseUrl.replace(/\/$/, '')}${e.path}` : null,
            ...(e.updatedAt ? { lastModified: new Date(e.updatedAt) } : {}),
          });
        }
      }
      return cal.toString();
    },
  };
}
