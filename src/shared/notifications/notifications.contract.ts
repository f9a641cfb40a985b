import { z } from 'zod';
import { EmptySchema, IdParamsSchema, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import {
  DeliveryDetailSchema,
  DeliveryQuery,
  DeliverySchema,
  InboxQuery,
  MarkedSchema,
  NotificationSchema,
  PreferencesInput,
  PreferencesSchema,
  SmtpSettingsInput,
  SmtpSettingsSchema,
  TestResultSchema,
  UnreadCountSchema,
  WebhookCreateInput,
  WebhookSchema,
  WebhookUpdateInput,
  WebhookWithSecretSchema,
} from './notifications.schemas.ts';

const tags = ['notifications'];
const adminTags = ['integrations'];

export const listMyNotifications = defineContract({
  method: 'GET',
  path: '/api/v1/notifications',
  permission: 'notification.self',
  operationId: 'listMyNotifications',
  summary: 'My notification inbox, newest first (`unread=true` for unread only)',
  tags,
  query: InboxQuery,
  response: pageOf(NotificationSchema),
});

export const countMyUnread = defineContract({
  method: 'GET',
  path: '/api/v1/notifications/unread-count',
  permission: 'notification.self',
  operationId: 'countMyUnreadNotifications',
  summary: 'How many of my notifications are unread',
  tags,
  response: UnreadCountSchema,
});

export const markNotificationRead = defineContract({
  method: 'POST',
  path: '/api/v1/notifications/:id/read',
  permission: 'notification.self',
  operationId: 'markNotificationRead',
  summary: 'Mark one of my notifications read',
  tags,
  params: IdParamsSchema,
  response: NotificationSchema,
});

export const markAllNotificationsRead = defineContract({
  method: 'POST',
  path: '/api/v1/notifications/read-all',
  permission: 'notification.self',
  operationId: 'markAllNotificationsRead',
  summary: 'Mark all my notifications read',
  tags,
  response: MarkedSchema,
});

export const getMyNotificationPreferences = defineContract({
  method: 'GET',
  path: '/api/v1/notifications/preferences',
  permission: 'notification.self',
  operationId: 'getMyNotificationPreferences',
  summary: 'My notification settings: e-mail per kind, daily digest',
  tags,
  response: PreferencesSchema,
});

export const putMyNotificationPreferences = defineContract({
  method: 'PUT',
  path: '/api/v1/notifications/preferences',
  permission: 'notification.self',
  operationId: 'putMyNotificationPreferences',
  summary: 'Change my notification settings (with the version read; a stale version is a 409)',
  tags,
  body: PreferencesInput,
  response: PreferencesSchema,
});

export const getSmtpSettings = defineContract({
  method: 'GET',
  path: '/api/v1/admin/smtp',
  permission: 'integration.manage',
  operationId: 'getSmtpSettings',
  summary: 'The outgoing e-mail (SMTP) settings; the password is never returned',
  tags: adminTags,
  response: SmtpSettingsSchema,
});

export const putSmtpSettings = defineContract({
  method: 'PUT',
  path: '/api/v1/admin/smtp',
  permission: 'integration.manage',
  operationId: 'putSmtpSettings',
  summary: 'Change the SMTP settings (the password is stored encrypted; omit it to keep the stored one)',
  tags: adminTags,
  body: SmtpSettingsInput,
  response: SmtpSettingsSchema,
});

export const sendTestEmail = defineContract({
  method: 'POST',
  path: '/api/v1/admin/smtp/test',
  permission: 'integration.manage',
  operationId: 'sendTestEmail',
  summary: 'Send a test e-mail to myself now; when it fails it stays queued and is retried',
  tags: adminTags,
  response: TestResultSchema,
});

export const listWebhooks = defineContract({
  method: 'GET',
  path: '/api/v1/admin/webhooks',
  permission: 'integration.manage',
  operationId: 'listWebhooks',
  summary: 'Outgoing webhooks',
  tags: adminTags,
  response: z.object({ items: z.array(WebhookSchema) }),
});

export const createWebhook = defineContract({
  method: 'POST',
  path: '/api/v1/admin/webhooks',
  permission: 'integration.manage',
  operationId: 'createWebhook',
  summary: 'Add a webhook; the answer holds its signing secret, shown this once',
  tags: adminTags,
  body: WebhookCreateInput,
  response: WebhookWithSecretSchema,
  status: 201,
});

export const getWebhook = defineContract({
  method: 'GET',
  path: '/api/v1/admin/webhooks/:id',
  permission: 'integration.manage',
  operationId: 'getWebhook',
  summary: 'Read one webhook',
  tags: adminTags,
  params: IdParamsSchema,
  response: WebhookSchema,
});

export const updateWebhook = defineContract({
  method: 'PATCH',
  path: '/api/v1/admin/webhooks/:id',
  permission: 'integration.manage',
  operationId: 'updateWebhook',
  summary: 'Change a webhook (deactivating it cancels what is still queued for it)',
  tags: adminTags,
  params: IdParamsSchema,
  body: WebhookUpdateInput,
  response: WebhookSchema,
});

export const deleteWebhook = defineContract({
  method: 'DELETE',
  path: '/api/v1/admin/webhooks/:id',
  permission: 'integration.manage',
  operationId: 'deleteWebhook',
  summary: 'Delete a webhook (its delivery log stays)',
  tags: adminTags,
  params: IdParamsSchema,
  query: z.strictObject({ version: z.coerce.number().int().min(1) }),
  response: EmptySchema,
  status: 204,
});

export const testWebhook = defineContract({
  method: 'POST',
  path: '/api/v1/admin/webhooks/:id/test',
  permission: 'integration.manage',
  operationId: 'testWebhook',
  summary: 'Send a `system.test` event to this webhook now',
  tags: adminTags,
  params: IdParamsSchema,
  response: TestResultSchema,
});

export const listDeliveries = defineContract({
  method: 'GET',
  path: '/api/v1/admin/deliveries',
  permission: 'integration.manage',
  operationId: 'listDeliveries',
  summary: 'The delivery log of e-mails and webhooks: status, attempts, last error, next retry',
  tags: adminTags,
  query: DeliveryQuery,
  response: pageOf(DeliverySchema),
});

export const getDelivery = defineContract({
  method: 'GET',
  path: '/api/v1/admin/deliveries/:id',
  permission: 'integration.manage',
  operationId: 'getDelivery',
  summary: 'One delivery with every attempt (time, status code, error, duration)',
  tags: adminTags,
  params: IdParamsSchema,
  response: DeliveryDetailSchema,
});

export const notificationContracts = [
  listMyNotifications,
  countMyUnread,
  markNotificationRead,
  markAllNotificationsRead,
  getMyNotificationPreferences,
  putMyNotificationPreferences,
  getSmtpSettings,
  putSmtpSettings,
  sendTestEmail,
  listWebhooks,
  createWebhook,
  getWebhook,
  updateWebhook,
  deleteWebhook,
  testWebhook,
  listDeliveries,
  getDelivery,
];
