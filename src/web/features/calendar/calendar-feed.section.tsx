import { Alert, Badge, Button, CopyButton, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCalendarEvent, IconCheck, IconCopy, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { useCalendarFeed, useCreateCalendarFeed, useRevokeCalendarFeed } from './calendar.api.ts';

/** The private iCalendar link of the user's due tasks: made (or replaced) with the link shown once, revoked. */
export function CalendarFeedSection() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { can } = useSession();
  const allowed = can('calendar.self');
  const feed = useCalendarFeed(allowed);
  const create = useCreateCalendarFeed();
  const revoke = useRevokeCalendarFeed();
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const [shown, setShown] = useState<string | undefined>();
  if (!allowed) return null;
  const active = feed.data?.active ?? false;

  const make = () =>
    create.mutate(undefined, {
      onSuccess: (r) => {
        setConfirmRotate(false);
        // The server gives the full address; an absolute one works in any calendar application.
        setShown(new URL(r.url, window.location.origin).toString());
      },
    });

  return (
    <SectionCard
      id="account-calendar"
      icon={<IconCalendarEvent size={18} aria-hidden />}
      title={t('calendarFeed.title')}
      description={t('calendarFeed.description')}
      badges={
        feed.data && (
          <Badge color={active ? 'teal' : 'gray'} variant={active ? 'light' : 'default'} radius="sm" tt="none">
            {active ? t('calendarFeed.active') : t('calendarFeed.inactive')}
          </Badge>
        )
      }
      actions={
        feed.data &&
        (active ? (
          <>
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} aria-hidden />}
              onClick={() => {
                create.reset();
                setConfirmRotate(true);
              }}
            >
              {t('calendarFeed.rotate')}
            </Button>
            <Button
              variant="default"
              color="red"
              leftSection={<IconTrash size={16} aria-hidden />}
              onClick={() => {
                revoke.reset();
                setConfirmRevoke(true);
              }}
            >
              {t('calendarFeed.revoke')}
            </Button>
          </>
        ) : (
          <Button
            variant="default"
            leftSection={<IconCalendarEvent size={16} aria-hidden />}
            onClick={make}
            loading={create.isPending}
          >
            {t('calendarFeed.create')}
          </Button>
        ))
      }
    >
      {feed.isError ? (
        <ErrorState error={feed.error} onRetry={() => void feed.refetch()} retrying={feed.isFetching} />
      ) : (
        feed.data && (
          <Text fz="sm" c="dimmed">
            {active
              ? [
                  feed.data.createdAt &&
                    t('calendarFeed.createdOn', { date: formatDateTime(feed.data.createdAt, language) }),
                  feed.data.lastUsedAt
                    ? t('calendarFeed.lastUsed', { date: formatDateTime(feed.data.lastUsedAt, language) })
                    : t('calendarFeed.neverUsed'),
                ]
                  .filter(Boolean)
                  .join(' · ')
              : t('calendarFeed.none')}
          </Text>
        )
      )}
      {create.error && !confirmRotate && <ProblemAlert error={create.error} />}

      <Modal
        opened={Boolean(shown)}
        onClose={() => setShown(undefined)}
        title={t('calendarFeed.createdTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        closeOnClickOutside={false}
        size="lg"
      >
        {shown && (
          <Stack gap="md">
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
              {t('calendarFeed.secret')}
            </Alert>
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <Textarea
                label={t('calendarFeed.url')}
                value={shown}
                readOnly
                autosize
                minRows={1}
                spellCheck={false}
                onFocus={(e) => e.currentTarget.select()}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' } }}
                style={{ flex: 1 }}
              />
              <CopyButton value={shown}>
                {({ copied, copy }) => (
                  <Button
                    variant={copied ? 'light' : 'default'}
                    color={copied ? 'teal' : undefined}
                    onClick={copy}
                    leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                  >
                    {copied ? t('common.copied') : t('calendarFeed.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text fz="sm" c="dimmed">
              {t('calendarFeed.howTo')}
            </Text>
            <Button onClick={() => setShown(undefined)}>{t('calendarFeed.done')}</Button>
          </Stack>
        )}
      </Modal>
      <ConfirmDialog
        opened={confirmRotate}
        onClose={() => setConfirmRotate(false)}
        onConfirm={make}
        title={t('calendarFeed.rotateTitle')}
        message={t('calendarFeed.rotateText')}
        confirmLabel={t('calendarFeed.rotate')}
        loading={create.isPending}
        error={create.error}
      />
      <ConfirmDialog
        opened={confirmRevoke}
        onClose={() => setConfirmRevoke(false)}
        onConfirm={() =>
          revoke.mutate(undefined, {
            onSuccess: () => {
              setConfirmRevoke(false);
              notifications.show({ color: 'teal', message: t('calendarFeed.revoked') });
            },
          })
        }
        title={t('calendarFeed.revokeTitle')}
        message={t('calendarFeed.revokeText')}
        confirmLabel={t('calendarFeed.revoke')}
        danger
        loading={revoke.isPending}
        error={revoke.error}
      />
    </SectionCard>
  );
}
