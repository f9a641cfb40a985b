import { z } from 'zod';
import { TimestampSchema } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';

const tags = ['calendar'];

export const CalendarFeedStatusSchema = z.object({
  active: z.boolean(),
  createdAt: TimestampSchema.nullable(),
  lastUsedAt: TimestampSchema.nullable(),
});

export const CalendarFeedCreatedSchema = z.object({
  /** Shown once: the feed URL is the credential, as for a private calendar link anywhere. */
  token: z.string(),
  url: z.string(),
  createdAt: TimestampSchema,
});

export const getMyCalendarFeed = defineContract({
  method: 'GET',
  path: '/api/v1/calendar/feed',
  permission: 'calendar.self',
  operationId: 'getMyCalendarFeed',
  summary: 'Whether the caller has a calendar feed (never its token)',
  tags,
  response: CalendarFeedStatusSchema,
});

export const createMyCalendarFeed = defineContract({
  method: 'POST',
  path: '/api/v1/calendar/feed',
  permission: 'calendar.self',
  operationId: 'createMyCalendarFeed',
  summary: "Create the caller's iCalendar feed, or replace it (the old link stops working); the link is shown once",
  tags,
  response: CalendarFeedCreatedSchema,
  status: 201,
});

export const revokeMyCalendarFeed = defineContract({
  method: 'DELETE',
  path: '/api/v1/calendar/feed',
  permission: 'calendar.self',
  operationId: 'revokeMyCalendarFeed',
  summary: "Revoke the caller's calendar feed (its link answers 404 from now on)",
  tags,
  response: z.object({}),
  status: 204,
});

export const calendarFeed = defineContract({
  method: 'GET',
  path: '/api/v1/calendar/feed/:token.ics',
  permission: 'public',
  operationId: 'calendarFeed',
  summary:
    "A user's iCalendar feed (text/calendar): their open tasks with due dates and recurring work. The token in the URL is the credential; unknown or revoked → 404",
  tags,
  params: z.strictObject({ token: z.string().max(200) }),
  response: z.string().describe('text/calendar (RFC 5545)'),
});

export const calendarContracts = [getMyCalendarFeed, createMyCalendarFeed, revokeMyCalendarFeed, calendarFeed];
