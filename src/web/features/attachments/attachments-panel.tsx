import {
  ActionIcon,
  Anchor,
  Button,
  Code,
  CopyButton,
  FileButton,
  Group,
  Image,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconCheck,
  IconCopy,
  IconDownload,
  IconFile,
  IconFileTypePdf,
  IconPaperclip,
  IconPhoto,
  IconShieldCheck,
  IconTrash,
  IconUpload,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment, AttachmentTarget } from '../../../shared/attachments/attachments.schemas.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { RecordTable } from '../../components/record-table.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { describeError } from '../../lib/problem-text.ts';
import { useOfficeZones } from '../tasks/tasks.api.ts';
import {
  contentUrl,
  thumbnailUrl,
  useAttachments,
  useDeleteAttachment,
  useUploadAttachment,
  useVerifyAttachment,
} from './attachments.api.ts';

/** e.g. "1.2 MB", in the user's language. */
export function formatSize(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  try {
    return new Intl.NumberFormat(language, {
      style: 'unit',
      unit: units[i],
      unitDisplay: i === 0 ? 'narrow' : 'short',
      maximumFractionDigits: i === 0 ? 0 : 1,
    }).format(value);
  } catch {
    return `${bytes} B`;
  }
}

export function AttachmentIcon({ attachment, size = 40 }: { attachment: Attachment; size?: number }) {
  if (attachment.hasThumbnail) {
    return (
      <Image
        src={thumbnailUrl(attachment)}
        alt=""
        w={size}
        h={size}
        radius="sm"
        fit="cover"
        loading="lazy"
        style={{ flex: 'none' }}
      />
    );
  }
  const Icon = attachment.contentType.startsWith('image/')
    ? IconPhoto
    : attachment.contentType === 'application/pdf'
      ? IconFileTypePdf
      : IconFile;
  return (
    <ThemeIcon variant="light" color="gray" size={size} radius="sm" style={{ flex: 'none' }}>
      <Icon size={size * 0.5} aria-hidden />
    </ThemeIcon>
  );
}

/** The SHA-256, shortened; the whole hash on hover and in the copy button. */
export function HashText({ sha256 }: { sha256: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label={sha256} withArrow multiline w={300} styles={{ tooltip: { wordBreak: 'break-all' } }}>
        <Code fz={11} aria-label={t('attachments.sha256Full', { hash: sha256 })} tabIndex={0}>
          {sha256.slice(0, 12)}…
        </Code>
      </Tooltip>
      <CopyButton value={sha256}>
        {({ copied, copy }) => (
          <ActionIcon
            size="sm"
            variant="subtle"
            color={copied ? 'teal' : 'gray'}
            onClick={copy}
            aria-label={copied ? t('common.copied') : t('attachments.copyHash')}
          >
            {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
          </ActionIcon>
        )}
      </CopyButton>
    </Group>
  );
}

interface UploadButtonProps {
  target: AttachmentTarget;
  label?: string;
  accept?: string;
  /** Opens the camera on phones (for photos). */
  capture?: boolean;
  onUploaded?: (a: Attachment) => void;
  size?: 'xs' | 'sm' | 'md' | 'lg';
  fullWidth?: boolean;
}

/** A button that picks a file and uploads it straight away; says when it failed. */
export function UploadButton({
  target,
  label,
  accept,
  capture,
  onUploaded,
  size = 'sm',
  fullWidth,
}: UploadButtonProps) {
  const { t } = useTranslation();
  const upload = useUploadAttachment(target);
  const pick = (file: File | null) => {
    if (!file) return;
    upload.mutate(file, {
      onSuccess: (a) => {
        notifications.show({ color: 'teal', message: t('attachments.uploaded', { name: a.filename }) });
        onUploaded?.(a);
      },
      onError: (error) => {
        const { title, detail } = describeError(error, t);
        notifications.show({
          color: 'red',
          title: t('attachments.uploadFailed', { name: file.name }),
          message: detail ?? title,
        });
      },
    });
  };
  return (
    <FileButton onChange={pick} accept={accept} capture={capture ? 'environment' : undefined} resetRef={undefined}>
      {(props) => (
        <Button
          {...props}
          size={size}
          fullWidth={fullWidth}
          variant="default"
          loading={upload.isPending}
          leftSection={capture ? <IconPhoto size={16} aria-hidden /> : <IconUpload size={16} aria-hidden />}
        >
          {label ?? t('attachments.upload')}
        </Button>
      )}
    </FileButton>
  );
}

interface AttachmentsPanelProps {
  target: AttachmentTarget;
  /** May the user add and remove files here (the server checks again)? */
  canWrite: boolean;
}

/** The files attached to a record: thumbnail or icon, size, SHA-256, download; upload and delete. */
export function AttachmentsPanel({ target, canWrite }: AttachmentsPanelProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const list = useAttachments(target);
  const zoneOf = useOfficeZones(
    useMemo(
      () => (list.data?.pages.flatMap((p) => p.items) ?? []).flatMap((a) => (a.officeId ? [a.officeId] : [])),
      [list.data],
    ),
  );
  const remove = useDeleteAttachment(target);
  const verify = useVerifyAttachment();
  const [deleting, setDeleting] = useState<Attachment | undefined>();

  const check = (a: Attachment) =>
    verify.mutate(a.id, {
      onSuccess: (r) =>
        notifications.show({
          color: r.match ? 'teal' : 'red',
          title: r.match ? t('attachments.verifyOk') : t('attachments.verifyBad'),
          message: a.filename,
        }),
      onError: (error) => notifications.show({ color: 'red', message: describeError(error, t).title }),
    });

  return (
    <Stack gap="sm">
      {canWrite && (
        <Group>
          <UploadButton target={target} />
        </Group>
      )}
      <RecordTable<Attachment, never>
        label={t('attachments.title')}
        query={list}
        minWidth={560}
        columns={[
          {
            key: 'file',
            header: t('attachments.file'),
            cell: (a) => (
              <Group gap="sm" wrap="nowrap">
                <AttachmentIcon attachment={a} />
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Anchor
                    href={contentUrl(a)}
                    download={a.filename}
                    fz="sm"
                    fw={500}
                    style={{ overflowWrap: 'anywhere' }}
                  >
                    {a.filename}
                  </Anchor>
                  <Text fz="xs" c="dimmed">
                    {formatDateTime(a.uploadedAt, language, a.officeId ? zoneOf(a.officeId) : undefined)}
                  </Text>
                </Stack>
              </Group>
            ),
          },
          {
            key: 'size',
            header: t('attachments.size'),
            cell: (a) => (
              <Text fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {formatSize(a.size, language)}
              </Text>
            ),
          },
          { key: 'sha256', header: t('attachments.sha256'), cell: (a) => <HashText sha256={a.sha256} /> },
        ]}
        empty={{
          icon: <IconPaperclip size={28} stroke={1.5} aria-hidden />,
          title: t('attachments.none'),
          description: canWrite ? t('attachments.noneText') : undefined,
        }}
        actionsLabel={(a) => t('attachments.actionsFor', { name: a.filename })}
        actions={[
          {
            key: 'download',
            label: t('attachments.download'),
            icon: <IconDownload size={14} aria-hidden />,
            onClick: (a) => {
              const link = document.createElement('a');
              link.href = contentUrl(a);
              link.download = a.filename;
              link.click();
            },
          },
          {
            key: 'verify',
            label: t('attachments.verify'),
            icon: <IconShieldCheck size={14} aria-hidden />,
            onClick: check,
          },
          ...(canWrite
            ? [
                {
                  key: 'delete',
                  label: t('common.delete'),
                  color: 'red',
                  icon: <IconTrash size={14} aria-hidden />,
                  onClick: (a: Attachment) => {
                    remove.reset();
                    setDeleting(a);
                  },
                },
              ]
            : []),
        ]}
      />
      {remove.error && !deleting && <ProblemAlert error={remove.error} />}
      <ConfirmDialog
        opened={Boolean(deleting)}
        onClose={() => setDeleting(undefined)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting, {
            onSuccess: () => {
              notifications.show({ color: 'teal', message: t('attachments.deleted', { name: deleting.filename }) });
              setDeleting(undefined);
            },
          })
        }
        title={t('attachments.deleteTitle')}
        message={t('attachments.deleteText', { name: deleting?.filename ?? '' })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
      />
    </Stack>
  );
}
