import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEdit, IconPlus, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  INCIDENT_DOMAINS,
  INCIDENT_SEVERITIES,
  type IncidentDomain,
} from '../../../shared/incidents/incidents.enums.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { SeverityBadge } from './incident-ui.tsx';
import { type IncidentCategory, useCategoryCatalogue, useCategoryMutation } from './incidents.api.ts';

const CODE = /^[a-z][a-z0-9_]{0,38}:[a-z][a-z0-9_]{0,38}$/;

interface Values {
  code: string;
  label: string;
  labelFr: string;
  domain: IncidentDomain;
  defaultSeverity: string | null;
  sensitive: boolean;
  alwaysImmediate: boolean;
  active: boolean;
  global: boolean;
}

/**
 * The incident category catalogue (`family:type`): the global set every office uses and the office's own
 * additions. Officers add and change their office's categories; only an administrator changes the global set.
 */
export function CategoriesPage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { current } = useOffices();
  const officeId = current?.id;
  const canManage = can('incident.manage');
  const catalogue = useCategoryCatalogue(officeId);
  const [q, setQ] = useState('');
  const [scope, setScope] = useState<'all' | 'office' | 'global'>('all');
  const [editing, setEditing] = useState<IncidentCategory | 'new' | undefined>();
  const fr = currentLanguage() === 'fr';

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (catalogue.data ?? [])
      .filter((c) => scope === 'all' || (scope === 'global' ? c.officeId === null : c.officeId !== null))
      .filter(
        (c) =>
          !needle ||
          c.code.includes(needle) ||
          c.label.toLowerCase().includes(needle) ||
          c.labelFr.toLowerCase().includes(needle),
      )
      .sort((a, b) => a.code.localeCompare(b.code));
  }, [catalogue.data, q, scope]);

  const editable = (c: IncidentCategory) => canManage && (c.officeId !== null || me.allOffices);

  return (
    <>
      <PageHeader
        title={t('incidents.categories.title', { office: current?.code ?? '' })}
        description={t('incidents.categories.description')}
        breadcrumbs={[{ label: t('incidents.title'), to: '/incidents' }, { label: t('incidents.categories.crumb') }]}
        actions={
          canManage &&
          officeId && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
              {t('incidents.categories.new')}
            </Button>
          )
        }
      />
      {!canManage && (
        <Alert color="gray" variant="light" mb="md">
          {t('incidents.categories.readOnly')}
        </Alert>
      )}
      <Group gap="sm" mb="md" align="flex-end">
        <TextInput
          label={t('incidents.categories.search')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={280}
        />
        <Stack gap={4}>
          <Text fz="sm" fw={500} id="category-scope-label">
            {t('incidents.categories.scope')}
          </Text>
          <SegmentedControl
            aria-labelledby="category-scope-label"
            value={scope}
            onChange={(v) => setScope(v as typeof scope)}
            data={[
              { value: 'all', label: t('incidents.categories.scopeAll') },
              { value: 'office', label: t('incidents.categories.scopeOffice') },
              { value: 'global', label: t('incidents.categories.scopeGlobal') },
            ]}
          />
        </Stack>
      </Group>
      {catalogue.error ? (
        <ErrorState error={catalogue.error} onRetry={() => void catalogue.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={catalogue.isPending ? t('common.loading') : t('incidents.categories.empty')} />
      ) : (
        <Paper withBorder radius="md">
          {/* A region the keyboard can scroll too (the global rows hold no button to tab to). */}
          <Box
            component="section"
            aria-label={t('incidents.categories.crumb')}
            tabIndex={0}
            style={{ overflowX: 'auto', borderRadius: 'inherit' }}
          >
            <Table fz="sm" verticalSpacing="xs" striped style={{ minWidth: 960 }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('incidents.categories.code')}</Table.Th>
                  <Table.Th>{t('incidents.categories.names')}</Table.Th>
                  <Table.Th>{t('incidents.fields.domain')}</Table.Th>
                  <Table.Th>{t('incidents.categories.defaultSeverity')}</Table.Th>
                  <Table.Th>{t('incidents.categories.flags')}</Table.Th>
                  <Table.Th>{t('incidents.categories.scope')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((c) => (
                  <Table.Tr key={c.id} style={c.active ? undefined : { opacity: 0.75 }}>
                    <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {c.code}
                    </Table.Td>
                    <Table.Td style={{ minWidth: 220 }}>
                      <Text fz="sm" fw={600} lang={fr ? 'fr' : 'en'}>
                        {fr ? c.labelFr : c.label}
                      </Text>
                      <Text fz="xs" c="dimmed" lang={fr ? 'en' : 'fr'}>
                        {fr ? c.label : c.labelFr}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t(`incidents.domain.${c.domain}`)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap', minWidth: 150 }}>
                      {c.defaultSeverity ? <SeverityBadge severity={c.defaultSeverity} /> : '—'}
                    </Table.Td>
                    <Table.Td style={{ minWidth: 170 }}>
                      <Stack gap={4} align="flex-start">
                        {c.sensitive && (
                          <Badge color="red" variant="light" radius="sm" tt="none">
                            {t('incidents.categories.sensitive')}
                          </Badge>
                        )}
                        {c.alwaysImmediate && (
                          <Badge color="orange" variant="light" radius="sm" tt="none">
                            {t('incidents.categories.alwaysImmediate')}
                          </Badge>
                        )}
                        {!c.active && (
                          <Badge color="gray" variant="outline" radius="sm" tt="none">
                            {t('incidents.categories.inactive')}
                          </Badge>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      {c.officeId === null ? t('incidents.categories.global') : (current?.code ?? '')}
                    </Table.Td>
                    <Table.Td>
                      {editable(c) && (
                        <ActionIcon
                          variant="subtle"
                          aria-label={t('incidents.categories.edit', { code: c.code })}
                          onClick={() => setEditing(c)}
                        >
                          <IconEdit size={16} aria-hidden />
                        </ActionIcon>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Box>
        </Paper>
      )}
      {editing && officeId && (
        <CategoryModal
          officeId={officeId}
          category={editing === 'new' ? undefined : editing}
          mayGlobal={me.allOffices}
          onClose={() => setEditing(undefined)}
        />
      )}
    </>
  );
}

function CategoryModal({
  officeId,
  category,
  mayGlobal,
  onClose,
}: {
  officeId: string;
  category: IncidentCategory | undefined;
  mayGlobal: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const save = useCategoryMutation();
  const [v, setV] = useState<Values>({
    code: category?.code ?? '',
    label: category?.label ?? '',
    labelFr: category?.labelFr ?? '',
    domain: category?.domain ?? 'physical',
    defaultSeverity: category?.defaultSeverity ? String(category.defaultSeverity) : null,
    sensitive: category?.sensitive ?? false,
    alwaysImmediate: category?.alwaysImmediate ?? false,
    active: category?.active ?? true,
    global: false,
  });
  const set = <K extends keyof Values>(k: K, value: Values[K]) => setV((old) => ({ ...old, [k]: value }));
  const codeError = !category && v.code && !CODE.test(v.code.trim()) ? t('incidents.categories.codeError') : undefined;
  const severity = v.defaultSeverity ? (Number(v.defaultSeverity) as 1 | 2 | 3 | 4) : null;
  // A 409 on a change is a stale version; on a create it is a code that exists already (the server says so).
  const conflict = Boolean(category) && isApiError(save.error) && save.error.isConflict;

  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={category ? t('incidents.categories.editTitle', { code: category.code }) : t('incidents.categories.new')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (codeError) return;
          const done = {
            onSuccess: () => {
              notifications.show({ color: 'teal', message: t('incidents.categories.saved') });
              onClose();
            },
          };
          if (category)
            save.mutate(
              {
                op: 'update',
                id: category.id,
                body: {
                  label: v.label.trim(),
                  labelFr: v.labelFr.trim(),
                  domain: v.domain,
                  defaultSeverity: severity,
                  sensitive: v.sensitive,
                  alwaysImmediate: v.alwaysImmediate,
                  active: v.active,
                  version: category.version,
                },
              },
              done,
            );
          else
            save.mutate(
              {
                op: 'create',
                body: {
                  officeId: v.global ? null : officeId,
                  code: v.code.trim(),
                  label: v.label.trim(),
                  labelFr: v.labelFr.trim(),
                  domain: v.domain,
                  defaultSeverity: severity,
                  sensitive: v.sensitive,
                  alwaysImmediate: v.alwaysImmediate,
                },
              },
              done,
            );
        }}
      >
        <Stack>
          {conflict ? (
            <Alert color="orange" role="alert" title={t('incidents.conflict.title')}>
              {t('incidents.categories.conflict')}
            </Alert>
          ) : (
            <ProblemAlert error={save.error} />
          )}
          {!category && (
            <TextInput
              label={t('incidents.categories.code')}
              description={t('incidents.categories.codeHint')}
              value={v.code}
              onChange={(e) => set('code', e.currentTarget.value.toLowerCase())}
              error={codeError}
              required
              maxLength={79}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              data-autofocus
            />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('incidents.categories.label')}
              value={v.label}
              onChange={(e) => set('label', e.currentTarget.value)}
              required
              maxLength={200}
              lang="en"
            />
            <TextInput
              label={t('incidents.categories.labelFr')}
              value={v.labelFr}
              onChange={(e) => set('labelFr', e.currentTarget.value)}
              required
              maxLength={200}
              lang="fr"
            />
            <Select
              label={t('incidents.fields.domain')}
              data={INCIDENT_DOMAINS.map((d) => ({ value: d, label: t(`incidents.domain.${d}`) }))}
              value={v.domain}
              onChange={(x) => x && set('domain', x as IncidentDomain)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('incidents.categories.defaultSeverity')}
              placeholder={t('incidents.categories.noDefault')}
              data={INCIDENT_SEVERITIES.map((s) => ({
                value: String(s),
                label: `${s} · ${t(`incidents.severity.name.${String(s) as '1'}`)}`,
              }))}
              value={v.defaultSeverity}
              onChange={(x) => set('defaultSeverity', x)}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <Checkbox
            label={t('incidents.categories.sensitiveLabel')}
            description={t('incidents.categories.sensitiveHint')}
            checked={v.sensitive}
            onChange={(e) => set('sensitive', e.currentTarget.checked)}
          />
          <Checkbox
            label={t('incidents.categories.alwaysImmediateLabel')}
            description={t('incidents.categories.alwaysImmediateHint')}
            checked={v.alwaysImmediate}
            onChange={(e) => set('alwaysImmediate', e.currentTarget.checked)}
          />
          {category ? (
            <Checkbox
              label={t('incidents.categories.activeLabel')}
              description={t('incidents.categories.activeHint')}
              checked={v.active}
              onChange={(e) => set('active', e.currentTarget.checked)}
            />
          ) : (
            mayGlobal && (
              <Checkbox
                label={t('incidents.categories.globalLabel')}
                description={t('incidents.categories.globalHint')}
                checked={v.global}
                onChange={(e) => set('global', e.currentTarget.checked)}
              />
            )
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={save.isPending}>
              {category ? t('common.save') : t('incidents.categories.create')}
            </SubmitButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
