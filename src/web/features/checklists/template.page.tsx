import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconPencil, IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { ChecklistItem } from '../../../shared/checklists/checklists.schemas.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageSkeleton } from '../../components/skeletons.tsx';
import { currentLanguage } from '../../lib/i18n.ts';
import { rangeText } from './answer-text.ts';
import { loc } from './checklist-text.ts';
import { useDeleteTemplate, useTemplate } from './checklists.api.ts';
import { StartRunModal } from './start-run.modal.tsx';

export function TemplatePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const language = currentLanguage();
  const { me, can } = useSession();
  const { current } = useOffices();
  const navigate = useNavigate();
  const template = useTemplate(id);
  const remove = useDeleteTemplate();
  const [starting, setStarting] = useState(false);
  const [deleting, setDeleting] = useState(false);

  if (template.isPending) return <PageSkeleton />;
  if (template.isError) {
    return (
      <>
        <PageHeader
          title={t('checklists.templates.template')}
          breadcrumbs={[{ label: t('checklists.title'), to: '/inspections?tab=templates' }, { label: '…' }]}
        />
        <Paper withBorder radius="md">
          <ErrorState error={template.error} onRetry={() => void template.refetch()} retrying={template.isFetching} />
        </Paper>
      </>
    );
  }
  const tpl = template.data;
  const name = loc(tpl.name, tpl.nameFr, language);
  // A global template is changed by those who see every office; the server decides in the end.
  const canManage = can('checklist.manage') && (tpl.officeId !== null || me.allOffices);
  const officeId = tpl.officeId ?? current?.id;

  let lastSection: string | null = null;
  return (
    <>
      <PageHeader
        title={name}
        breadcrumbs={[{ label: t('checklists.title'), to: '/inspections?tab=templates' }, { label: name }]}
        description={tpl.description}
        badges={
          <Group gap={6}>
            <Badge variant="light" color={tpl.officeId ? 'blue' : 'grape'} radius="sm" tt="none">
              {tpl.officeId ? t('checklists.templates.office') : t('checklists.templates.global')}
            </Badge>
            <Badge variant="default" radius="sm" tt="none">
              {t('checklists.templates.versionN', { n: tpl.templateVersion })}
            </Badge>
          </Group>
        }
        actions={
          <>
            {can('checklist.run') && officeId && (
              <Button leftSection={<IconPlayerPlay size={16} aria-hidden />} onClick={() => setStarting(true)}>
                {t('checklists.start.button')}
              </Button>
            )}
            {canManage && (
              <Button
                variant="default"
                component={Link}
                to={`/inspections/templates/${tpl.id}/edit`}
                leftSection={<IconPencil size={16} aria-hidden />}
              >
                {t('common.edit')}
              </Button>
            )}
            {canManage && (
              <Button
                variant="default"
                color="red"
                leftSection={<IconTrash size={16} aria-hidden />}
                onClick={() => {
                  remove.reset();
                  setDeleting(true);
                }}
              >
                {t('common.delete')}
              </Button>
            )}
          </>
        }
      />
      <Stack gap="xs" maw={860} component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
        {tpl.items.map((item) => {
          const section = item.section ? loc(item.section, item.sectionFr, language) : null;
          const heading = section !== lastSection ? section : null;
          lastSection = section;
          return (
            <li key={item.id}>
              {heading && (
                <Title order={2} fz="sm" tt="uppercase" c="dimmed" lts={0.3} mt="md" mb={6}>
                  {heading}
                </Title>
              )}
              <ItemView item={item} language={language} />
            </li>
          );
        })}
      </Stack>
      {officeId && (
        <StartRunModal officeId={officeId} templateId={tpl.id} opened={starting} onClose={() => setStarting(false)} />
      )}
      <ConfirmDialog
        opened={deleting}
        onClose={() => setDeleting(false)}
        onConfirm={() =>
          remove.mutate(tpl, {
            onSuccess: () => {
              notifications.show({ color: 'teal', message: t('checklists.templates.deleted', { name }) });
              navigate('/inspections?tab=templates');
            },
          })
        }
        title={t('checklists.templates.deleteTitle')}
        message={t('checklists.templates.deleteText', { name })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
      />
    </>
  );
}

function ItemView({ item, language }: { item: ChecklistItem; language: string }) {
  const { t } = useTranslation();
  const range = item.type === 'number' ? rangeText(item, t, language) : undefined;
  return (
    <Paper withBorder radius="md" p="sm">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Text fz="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
          {loc(item.label, item.labelFr, language)}
        </Text>
        <Group gap={4} wrap="nowrap" style={{ flex: 'none' }}>
          {item.required && (
            <Badge color="red" variant="light" radius="sm" tt="none">
              {t('checklists.editor.required')}
            </Badge>
          )}
          <Badge variant="default" radius="sm" tt="none">
            {t(`checklists.types.${item.type}`)}
          </Badge>
        </Group>
      </Group>
      {range && (
        <Text fz="xs" c="dimmed" mt={4}>
          {t('checklists.expected', { range })}
        </Text>
      )}
      {item.type === 'choice' && (
        <Group gap={4} mt={6}>
          {item.options.map((o) => (
            <Badge key={o.value} variant="outline" color={o.failing ? 'red' : 'gray'} radius="sm" tt="none">
              {loc(o.label, o.labelFr, language)}
            </Badge>
          ))}
        </Group>
      )}
      {item.guidance && (
        <Group gap={6} mt={6} wrap="nowrap" align="flex-start">
          <IconInfoCircle size={14} aria-hidden style={{ flex: 'none', marginTop: 3 }} />
          <Text fz="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
            {loc(item.guidance, item.guidanceFr, language)}
          </Text>
        </Group>
      )}
    </Paper>
  );
}
