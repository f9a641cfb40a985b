import { Badge, Box, Button, Group, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconDeviceDesktop,
  IconDeviceMobile,
  IconDevices,
  IconDeviceTablet,
  IconDeviceUnknown,
  IconLogout,
} from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import type { SessionInfoSchema } from '../../../shared/auth/auth.schemas.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { browserTimeZone, formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { type DeviceKind, parseUserAgent, shorten } from '../../lib/user-agent.ts';
import { useLogoutEverywhere, useRevokeSession, useSessions } from '../auth/auth.api.ts';

type SessionInfo = z.infer<typeof SessionInfoSchema>;

interface Device {
  /** What the user reads: "Firefox on Windows", or the raw header shortened. */
  name: string;
  /** The whole header, for whoever wants the detail (shown on hover). */
  raw: string | undefined;
  kind: DeviceKind | 'unknown';
}

function describeDevice(userAgent: string | null, t: TFunction): Device {
  if (!userAgent?.trim()) return { name: t('sessions.unknownDevice'), raw: undefined, kind: 'unknown' };
  const { browser, os, kind } = parseUserAgent(userAgent);
  const name =
    browser && os
      ? t('sessions.browserOnOs', { browser, os })
      : browser
        ? browser
        : os
          ? t('sessions.someBrowserOnOs', { os })
          : shorten(userAgent);
  return { name, raw: userAgent, kind: browser || os ? kind : 'unknown' };
}

const DEVICE_ICONS = {
  computer: IconDeviceDesktop,
  phone: IconDeviceMobile,
  tablet: IconDeviceTablet,
  unknown: IconDeviceUnknown,
} as const;

interface Revoking {
  id: string;
  device: string;
  lastActive: string;
}

/** The browsers and devices signed in to the account: each can be signed out, or all of them at once. */
export function SessionsSection() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const zone = browserTimeZone();
  const navigate = useNavigate();
  const list = useSessions();
  const revoke = useRevokeSession();
  const everywhere = useLogoutEverywhere();
  const [everywhereOpened, everywhereDialog] = useDisclosure(false);
  const [revoking, setRevoking] = useState<Revoking | undefined>();
  // This device first, then the most recently active.
  const items = [...(list.data?.items ?? [])].sort(
    (a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt),
  );
  const when = (iso: string) => formatDateTime(iso, language, zone);

  const confirmEverywhere = () => {
    everywhere.mutate(undefined, {
      onSuccess: () => {
        notifications.show({ color: 'gray', message: t('sessions.signedOutEverywhere') });
        void navigate('/login', { replace: true });
      },
    });
  };

  const confirmRevoke = () => {
    if (!revoking) return;
    revoke.mutate(revoking.id, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('sessions.signedOut', { device: revoking.device }) });
        setRevoking(undefined);
      },
      onError: (error) => {
        // Signed out meanwhile (elsewhere, or it expired): what the user wanted has happened.
        if (isApiError(error) && error.status === 404) {
          notifications.show({ color: 'gray', message: t('sessions.alreadyEnded') });
          setRevoking(undefined);
        }
      },
    });
  };

  return (
    <SectionCard
      id="account-sessions"
      icon={<IconDevices size={18} aria-hidden />}
      title={t('sessions.title')}
      description={t('sessions.description')}
      actions={
        <Button
          variant="default"
          color="red"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => {
            everywhere.reset();
            everywhereDialog.open();
          }}
        >
          {t('sessions.signOutEverywhere')}
        </Button>
      }
    >
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : list.isPending ? (
        <SessionsSkeleton />
      ) : items.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('sessions.none')}
        </Text>
      ) : (
        <Stack gap="xs">
          <Box
            component="ul"
            aria-label={t('sessions.listLabel')}
            m={0}
            p={0}
            style={{ listStyle: 'none', borderTop: '1px solid var(--mantine-color-default-border)' }}
          >
            {items.map((s) => {
              const device = describeDevice(s.userAgent, t);
              const Icon = DEVICE_ICONS[device.kind];
              return (
                <Box
                  component="li"
                  key={s.id}
                  py="sm"
                  style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
                >
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <ThemeIcon variant="light" color={s.current ? 'teal' : 'gray'} size={36} radius="md" aria-hidden>
                      <Icon size={20} stroke={1.6} />
                    </ThemeIcon>
                    <Group gap="xs" justify="space-between" align="flex-start" style={{ flex: 1, minWidth: 0 }}>
                      <Stack gap={4} style={{ flex: '1 1 300px', minWidth: 0 }}>
                        <Group gap={8} wrap="wrap" align="center">
                          <Text fz="sm" fw={600} title={device.raw} style={{ overflowWrap: 'anywhere' }}>
                            {device.name}
                          </Text>
                          {s.current && (
                            <Badge color="teal" variant="light" radius="sm" tt="none">
                              {t('sessions.thisDevice')}
                            </Badge>
                          )}
                        </Group>
                        <Group gap={4} wrap="wrap" style={{ columnGap: 'var(--mantine-spacing-lg)' }}>
                          <Fact label={t('sessions.ip')}>
                            {s.ip ?? (
                              <Text span fz="xs" c="dimmed">
                                {t('sessions.unknownIp')}
                              </Text>
                            )}
                          </Fact>
                          <Fact label={t('sessions.signedIn')}>
                            <time dateTime={s.createdAt}>{when(s.createdAt)}</time>
                          </Fact>
                          <Fact label={t('sessions.lastActive')}>
                            {s.current ? (
                              t('sessions.activeNow')
                            ) : (
                              <time dateTime={s.lastSeenAt}>{when(s.lastSeenAt)}</time>
                            )}
                          </Fact>
                        </Group>
                      </Stack>
                      {!s.current && (
                        <Button
                          variant="default"
                          color="red"
                          size="xs"
                          leftSection={<IconLogout size={14} aria-hidden />}
                          aria-label={t('sessions.signOutNamed', { device: device.name })}
                          onClick={() => {
                            revoke.reset();
                            setRevoking({ id: s.id, device: device.name, lastActive: when(s.lastSeenAt) });
                          }}
                        >
                          {t('sessions.signOut')}
                        </Button>
                      )}
                    </Group>
                  </Group>
                </Box>
              );
            })}
          </Box>
          <Text fz="xs" c="dimmed">
            {onlyThisDevice(items) ? `${t('sessions.onlyThisDevice')} ` : ''}
            {t('sessions.timesIn', { zone: zone ?? 'UTC' })}
          </Text>
        </Stack>
      )}
      <ConfirmDialog
        opened={Boolean(revoking)}
        onClose={() => setRevoking(undefined)}
        onConfirm={confirmRevoke}
        title={t('sessions.signOutTitle', { device: revoking?.device ?? '' })}
        message={t('sessions.signOutText', { lastActive: revoking?.lastActive ?? '' })}
        confirmLabel={t('sessions.signOut')}
        danger
        loading={revoke.isPending}
        error={revoke.error}
      />
      <ConfirmDialog
        opened={everywhereOpened}
        onClose={everywhereDialog.close}
        onConfirm={confirmEverywhere}
        title={t('sessions.signOutEverywhereTitle')}
        message={t('sessions.signOutEverywhereText')}
        confirmLabel={t('sessions.signOutEverywhere')}
        danger
        loading={everywhere.isPending}
        error={everywhere.error}
      />
    </SectionCard>
  );
}

function onlyThisDevice(items: SessionInfo[]): boolean {
  return items.length === 1 && items[0]?.current === true;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Text fz="xs" c="dimmed">
      {label}{' '}
      <Text span fz="xs" c="var(--mantine-color-text)" fw={500}>
        {children}
      </Text>
    </Text>
  );
}

function SessionsSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" py="sm" aria-busy="true" aria-label={t('common.loading')}>
      {[70, 55].map((width) => (
        <Group key={width} gap="sm" wrap="nowrap" align="flex-start">
          <Skeleton height={36} width={36} radius="md" />
          <Stack gap={8} style={{ flex: 1 }}>
            <Skeleton height={12} width={`${width / 2}%`} radius="sm" />
            <Skeleton height={10} width={`${width}%`} radius="sm" />
          </Stack>
        </Group>
      ))}
    </Stack>
  );
}
