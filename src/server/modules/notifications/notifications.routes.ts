import * as c from '../../../shared/notifications/notifications.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerNotificationRoutes: RouteRegistrar = (route, { notifications: n }) => {
  route(c.listMyNotifications, ({ ctx, query }) => n.inbox(ctx, query));
  route(c.countMyUnread, ({ ctx }) => n.unreadCount(ctx));
  route(c.markNotificationRead, ({ ctx, params }) => n.markRead(ctx, params.id));
  route(c.markAllNotificationsRead, ({ ctx }) => n.markAllRead(ctx));
  route(c.getMyNotificationPreferences, ({ ctx }) => n.getPreferences(ctx));
  route(c.putMyNotificationPreferences, ({ ctx, body }) => n.putPreferences(ctx, body));
  route(c.getSmtpSettings, ({ ctx }) => n.getSmtp(ctx));
  route(c.putSmtpSettings, ({ ctx, body }) => n.putSmtp(ctx, body));
  route(c.sendTestEmail, ({ ctx }) => n.sendTestEmail(ctx));
  route(c.listWebhooks, async ({ ctx }) => ({ items: await n.listWebhooks(ctx) }));
  route(c.createWebhook, ({ ctx, body }) => n.createWebhook(ctx, body));
  route(c.getWebhook, ({ ctx, params }) => n.getWebhook(ctx, params.id));
  route(c.updateWebhook, ({ ctx, params, body }) => n.updateWebhook(ctx, params.id, body));
  route(c.deleteWebhook, ({ ctx, params, query }) => n.deleteWebhook(ctx, params.id, query.version));
  route(c.testWebhook, ({ ctx, params }) => n.testWebhook(ctx, params.id));
  route(c.listDeliveries, ({ ctx, query }) => n.listDeliveries(ctx, query));
  route(c.getDelivery, ({ ctx, params }) => n.getDelivery(ctx, params.id));
};
