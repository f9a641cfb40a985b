import { Box, Group, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Notification } from '../../../shared/notifications/notifications.schemas.ts';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import classes from './notifications.module.css';
import { timeAgo } from './time-ago.ts';

/** Only paths inside this app are followed: a notification never sends the reader to another site. */
export function safeLink(link: string): string {
  return link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : '/inbox';
}

interface NotificationItemProps {
  item: Notification;
  /** Called when the item is opened (before the app follows its link). */
  onOpen: (item: Notification) => void;
  /** Smaller text, for the header's popover. */
  compact?: boolean;
  /** Buttons at the end of the row (outside the link). */
  actions?: ReactNode;
}

/** One inbox entry: unread dot, title, text, how long ago; the whole entry links to its record. */
export function NotificationItem({ item, onOpen, compact, actions }: NotificationItemProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const unread = item.readAt === null;
  return (
    <Group gap={0} wrap="nowrap" align="stretch" className={classes.item} data-unread={unread || undefined}>
      <UnstyledButton
        component={Link}
        to={safeLink(item.link)}
        onClick={() => onOpen(item)}
        px={compact ? 'xs' : 'sm'}
        py={compact ? 8 : 'sm'}
        className={classes.link}
      >
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Box mt={compact ? 6 : 7} className={classes.dot} aria-hidden />
          <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Text fz="sm" fw={unread ? 600 : 400} lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
              {unread && <VisuallyHidden component="span">{t('inbox.unreadPrefix')} </VisuallyHidden>}
              {item.title}
            </Text>
            {item.body && (
              <Text fz="xs" c="dimmed" lineClamp={compact ? 2 : 3} style={{ overflowWrap: 'anywhere' }}>
                {item.body}
              </Text>
            )}
            <Text fz={11} c="dimmed" component="span">
              <time dateTime={item.createdAt} title={formatDateTime(item.createdAt, language)}>
                {timeAgo(item.createdAt, language)}
              </time>
            </Text>
          </Stack>
        </Group>
      </UnstyledButton>
      {actions && (
        <Group gap={4} px={4} wrap="nowrap" align="center">
          {actions}
        </Group>
      )}
    </Group>
  );
}
