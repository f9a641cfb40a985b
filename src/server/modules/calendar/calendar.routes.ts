import * as c from '../../../shared/calendar/calendar.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerCalendarRoutes: RouteRegistrar = (route, { calendar }) => {
  route(c.getMyCalendarFeed, ({ ctx }) => calendar.status(ctx));
  route(c.createMyCalendarFeed, ({ ctx }) => calendar.rotate(ctx));
  route(c.revokeMyCalendarFeed, ({ ctx }) => calendar.revoke(ctx));
  route(c.calendarFeed, async ({ params, reply }) => {
    const ics = await calendar.feed(params.token);
    return reply
      .header('cache-control', 'private, max-age=300')
      .header('content-disposition', 'inline; filename="outpost.ics"')
      .type('text/calendar; charset=utf-8')
      .send(ics);
  });
};
