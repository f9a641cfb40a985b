import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ContractBody } from '../../../shared/contract.ts';
import {
  createWebhook,
  deleteWebhook,
  getDelivery,
  getSmtpSettings,
  listDeliveries,
  listWebhooks,
  putSmtpSettings,
  sendTestEmail,
  testWebhook,
  updateWebhook,
} from '../../../shared/notifications/notifications.contract.ts';
import type { Webhook } from '../../../shared/notifications/notifications.schemas.ts';
import { listJobs } from '../../../shared/scheduler/scheduler.contract.ts';
import { call } from '../../lib/api-client.ts';

export interface DeliveryFilter {
  channel?: 'email' | 'webhook' | undefined;
  status?: 'pending' | 'delivered' | 'failed' | 'cancelled' | undefined;
}

export const integrationKeys = {
  all: ['integrations'] as const,
  smtp: () => [...integrationKeys.all, 'smtp'] as const,
  webhooks: () => [...integrationKeys.all, 'webhooks'] as const,
  deliveries: () => [...integrationKeys.all, 'deliveries'] as const,
  deliveryList: (filter: DeliveryFilter) => [...integrationKeys.deliveries(), 'list', filter] as const,
  delivery: (id: string) => [...integrationKeys.deliveries(), 'detail', id] as const,
  jobs: () => [...integrationKeys.all, 'jobs'] as const,
};

export const DELIVERY_PAGE_SIZE = 25;

export function useSmtpSettings() {
  return useQuery({ queryKey: integrationKeys.smtp(), queryFn: ({ signal }) => call(getSmtpSettings, { signal }) });
}

export function useSaveSmtpSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof putSmtpSettings>) => call(putSmtpSettings, { body }),
    onSuccess: (settings) => queryClient.setQueryData(integrationKeys.smtp(), settings),
  });
}

/** A test message, to see whether delivery works; it lands in the delivery log either way. */
export function useSendTestEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(sendTestEmail),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: integrationKeys.deliveries() });
      // The test message is also an inbox item for the sender.
      void queryClient.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
}

export function useWebhooks() {
  return useQuery({ queryKey: integrationKeys.webhooks(), queryFn: ({ signal }) => call(listWebhooks, { signal }) });
}

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof createWebhook>) => call(createWebhook, { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: integrationKeys.webhooks() }),
  });
}

export function useUpdateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ContractBody<typeof updateWebhook> }) =>
      call(updateWebhook, { params: { id }, body }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: integrationKeys.webhooks() }),
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (hook: Pick<Webhook, 'id' | 'version'>) =>
      call(deleteWebhook, { params: { id: hook.id }, query: { version: hook.version } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: integrationKeys.webhooks() }),
  });
}

export function useTestWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(testWebhook, { params: { id } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: integrationKeys.deliveries() }),
  });
}

/** The delivery log, newest first, a page at a time. */
export function useDeliveries(filter: DeliveryFilter) {
  return useInfiniteQuery({
    queryKey: integrationKeys.deliveryList(filter),
    queryFn: ({ pageParam, signal }) =>
      call(listDeliveries, { query: { ...filter, limit: DELIVERY_PAGE_SIZE, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useDelivery(id: string | undefined) {
  return useQuery({
    queryKey: integrationKeys.delivery(id ?? ''),
    queryFn: ({ signal }) => call(getDelivery, { params: { id: id ?? '' }, signal }),
    enabled: Boolean(id),
  });
}

export function useJobs() {
  return useQuery({ queryKey: integrationKeys.jobs(), queryFn: ({ signal }) => call(listJobs, { signal }) });
}
