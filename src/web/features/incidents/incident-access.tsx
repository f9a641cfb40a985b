import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEdit, IconLock, IconTrash, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INCIDENT_PERSON_ROLES } from '../../../shared/incidents/incidents.schemas.ts';
import { CROSS_OFFICE_ROLES, type Permission, roleCan } from '../../../shared/permissions.ts';
import { useOffices } from '../../app/office-context.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { ApiError, isApiError } from '../../lib/api-client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { useUserNames } from '../tasks/task-ui.tsx';
import {
  type Incident,
  type IncidentPerson,
  useIncidentAccess,
  useIncidentPersons,
  usePersonMutation,
  useSetIncidentAccess,
} from './incidents.api.ts';

type PersonRole = (typeof INCIDENT_PERSON_ROLES)[number];

/**
 * The users the server accepts for a role on an incident of the office (the same rule as its check): active,
 * the role has the permission, and a member of the office or a cross-office role (admin, HQ, auditor).
 */
export function useEligibleUsers(officeId: string, permission: Permission): { value: string; label: string }[] {
  const { users } = useUserNames();
  const { offices } = useOffices();
  const code = offices.find((o) => o.id === officeId)?.code;
  return useMemo(
    () =>
      users
        .filter(
          (u) =>
            !u.isDisabled &&
            roleCan(u.role, permission) &&
            (CROSS_OFFICE_ROLES.includes(u.role) || (code !== undefined && u.officeCodes.includes(code))),
        )
        .map((u) => ({ value: u.id, label: u.displayName }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [users, code, permission],
  );
}

function hidden(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

/**
 * Who may see the incident when it is sensitive: the owner, the reporter, the reviewer and the users named
 * here — nobody else, not even an administrator or HQ. Editors only (the API answers 403 to others).
 */
export function AccessSection({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { nameOf } = useUserNames();
  const options = useEligibleUsers(incident.officeId, 'incident.report');
  const list = useIncidentAccess(incident.id, incident.version, true);
  const save = useSetIncidentAccess(incident.id);
  const [adding, setAdding] = useState<string | null>(null);
  if (list.error && hidden(list.error)) return null;
  const data = list.data;
  const named = data?.users ?? [];
  const always = data
    ? [
        { key: 'owner', id: data.ownerUserId },
        { key: 'reporter', id: data.reporterUserId },
        { key: 'reviewer', id: data.reviewerUserId },
      ].filter((x): x is { key: string; id: string } => Boolean(x.id))
    : [];
  const taken = new Set([...named.map((u) => u.userId), ...always.map((a) => a.id)]);
  const choices = options.filter((o) => !taken.has(o.value));
  const conflict = isApiError(save.error) && save.error.isConflict;

  const put = (userIds: string[], done?: () => void) =>
    save.mutate(
      { userIds, version: incident.version },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('incidents.access.saved') });
          done?.();
        },
      },
    );

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="access-heading">
      <Group gap={6} mb="xs">
        <IconLock size={18} aria-hidden />
        <Title order={2} fz="md" id="access-heading">
          {t('incidents.access.title')}
        </Title>
      </Group>
      <Alert color={incident.sensitive ? 'red' : 'gray'} variant="light" mb="sm" p="xs">
        <Text fz="sm">{incident.sensitive ? t('incidents.access.sensitiveText') : t('incidents.access.openText')}</Text>
      </Alert>
      {list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : !data ? (
        <Text fz="sm" c="dimmed">
          {t('common.loading')}
        </Text>
      ) : (
        <Stack gap="sm">
          {always.length > 0 && (
            <Stack gap={2}>
              <Text fz="xs" c="dimmed" fw={600} tt="uppercase" lts={0.3}>
                {t('incidents.access.always')}
              </Text>
              {always.map((a) => (
                <Text key={a.key} fz="sm">
                  {nameOf(a.id)} · {t(`incidents.access.because.${a.key as 'owner'}`)}
                </Text>
              ))}
            </Stack>
          )}
          <Stack gap={4}>
            <Text fz="xs" c="dimmed" fw={600} tt="uppercase" lts={0.3}>
              {t('incidents.access.named')}
            </Text>
            {named.length === 0 ? (
              <Text fz="sm" c="dimmed">
                {t('incidents.access.noneNamed')}
              </Text>
            ) : (
              <Stack
                component="ul"
                gap={4}
                p={0}
                m={0}
                style={{ listStyle: 'none' }}
                aria-label={t('incidents.access.named')}
              >
                {named.map((u) => (
                  <Group component="li" key={u.userId} justify="space-between" wrap="nowrap" gap="xs">
                    <Stack gap={0}>
                      <Text fz="sm">{u.displayName || nameOf(u.userId)}</Text>
                      <Text fz="xs" c="dimmed">
                        {t('incidents.access.grantedAt', { at: formatDateTime(u.grantedAt, language) })}
                      </Text>
                    </Stack>
                    <Tooltip label={t('incidents.access.remove', { name: u.displayName })} withArrow>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('incidents.access.remove', { name: u.displayName })}
                        loading={save.isPending}
                        onClick={() => put(named.filter((x) => x.userId !== u.userId).map((x) => x.userId))}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                ))}
              </Stack>
            )}
          </Stack>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!adding) return;
              put([...named.map((x) => x.userId), adding], () => setAdding(null));
            }}
          >
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <Select
                style={{ flex: 1 }}
                label={t('incidents.access.add')}
                placeholder={t('incidents.access.pick')}
                data={choices}
                value={adding}
                onChange={setAdding}
                searchable
                clearable
                nothingFoundMessage={t('common.nothingFound')}
                comboboxProps={{ withinPortal: true }}
              />
              <SubmitButton
                loading={save.isPending}
                disabled={!adding}
                leftSection={<IconUserPlus size={16} aria-hidden />}
              >
                {t('incidents.access.addButton')}
              </SubmitButton>
            </Group>
          </form>
          {conflict ? (
            <Alert color="orange" role="alert" title={t('incidents.conflict.title')}>
              {t('incidents.access.conflict')}
            </Alert>
          ) : (
            <ProblemAlert error={save.error} />
          )}
        </Stack>
      )}
    </Paper>
  );
}

interface PersonValues {
  role: PersonRole;
  name: string;
  details: string;
}

function PersonFields({ values, onChange }: { values: PersonValues; onChange: (v: PersonValues) => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('incidents.persons.role')}
          data={INCIDENT_PERSON_ROLES.map((r) => ({ value: r, label: t(`incidents.persons.roles.${r}`) }))}
          value={values.role}
          onChange={(v) => v && onChange({ ...values, role: v as PersonRole })}
          allowDeselect={false}
          required
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label={t('incidents.persons.name')}
          value={values.name}
          onChange={(e) => onChange({ ...values, name: e.currentTarget.value })}
          required
          maxLength={200}
        />
      </SimpleGrid>
      <Textarea
        label={t('incidents.persons.details')}
        description={t('incidents.persons.detailsHint')}
        value={values.details}
        onChange={(e) => onChange({ ...values, details: e.currentTarget.value })}
        autosize
        minRows={2}
        maxLength={10_000}
      />
    </Stack>
  );
}

function ConflictOr({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (isApiError(error) && error.isConflict)
    return (
      <Alert color="orange" role="alert" title={t('incidents.conflict.title')}>
        {t('incidents.persons.conflict')}
      </Alert>
    );
  return <ProblemAlert error={error} />;
}

/** The involved persons (victims, witnesses, suspects…): restricted to editors, never in exports. */
export function PersonsTab({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const list = useIncidentPersons(incident.id, true);
  const add = usePersonMutation(incident.id);
  const [values, setValues] = useState<PersonValues>({ role: 'victim', name: '', details: '' });
  const [editing, setEditing] = useState<IncidentPerson | undefined>();
  const [removing, setRemoving] = useState<IncidentPerson | undefined>();
  if (list.error && hidden(list.error)) {
    return <EmptyState title={t('incidents.persons.restricted')} icon={<IconLock size={28} aria-hidden />} />;
  }
  const persons = list.data ?? [];
  return (
    <Stack gap="md">
      <Alert color="gray" variant="light" icon={<IconLock size={18} aria-hidden />}>
        {t('incidents.persons.restrictedText')}
      </Alert>
      <Paper withBorder radius="md" p="sm">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(
              {
                op: 'add',
                body: { role: values.role, name: values.name.trim(), details: values.details.trim() || null },
              },
              {
                onSuccess: () => {
                  notifications.show({ color: 'teal', message: t('incidents.persons.added') });
                  setValues({ role: values.role, name: '', details: '' });
                },
              },
            );
          }}
        >
          <Stack gap="xs">
            <Title order={3} fz="sm">
              {t('incidents.persons.add')}
            </Title>
            <ProblemAlert error={add.error} />
            <PersonFields values={values} onChange={setValues} />
            <Group justify="flex-end">
              <SubmitButton loading={add.isPending} leftSection={<IconUserPlus size={16} aria-hidden />}>
                {t('incidents.persons.addButton')}
              </SubmitButton>
            </Group>
          </Stack>
        </form>
      </Paper>
      {list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : persons.length === 0 ? (
        <EmptyState
          title={list.isPending ? t('common.loading') : t('incidents.persons.empty')}
          icon={<IconUsers size={28} aria-hidden />}
        />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label={t('incidents.persons.title')} fz="sm" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('incidents.persons.role')}</Table.Th>
                <Table.Th>{t('incidents.persons.name')}</Table.Th>
                <Table.Th>{t('incidents.persons.details')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {persons.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Badge variant="default" radius="sm" tt="none">
                      {t(`incidents.persons.roles.${p.role}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{p.details || '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('incidents.persons.edit', { name: p.name })}
                        onClick={() => setEditing(p)}
                      >
                        <IconEdit size={16} aria-hidden />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('incidents.persons.remove', { name: p.name })}
                        onClick={() => setRemoving(p)}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && <EditPersonModal incidentId={incident.id} person={editing} onClose={() => setEditing(undefined)} />}
      {removing && (
        <RemovePersonModal incidentId={incident.id} person={removing} onClose={() => setRemoving(undefined)} />
      )}
    </Stack>
  );
}

function EditPersonModal({
  incidentId,
  person,
  onClose,
}: {
  incidentId: string;
  person: IncidentPerson;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const save = usePersonMutation(incidentId);
  const [values, setValues] = useState<PersonValues>({
    role: person.role,
    name: person.name,
    details: person.details ?? '',
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('incidents.persons.editTitle')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            {
              op: 'update',
              personId: person.id,
              body: {
                role: values.role,
                name: values.name.trim(),
                details: values.details.trim() || null,
                version: person.version,
              },
            },
            {
              onSuccess: () => {
                notifications.show({ color: 'teal', message: t('incidents.persons.saved') });
                onClose();
              },
            },
          );
        }}
      >
        <Stack>
          <ConflictOr error={save.error} />
          <PersonFields values={values} onChange={setValues} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={save.isPending}>{t('common.save')}</SubmitButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RemovePersonModal({
  incidentId,
  person,
  onClose,
}: {
  incidentId: string;
  person: IncidentPerson;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const remove = usePersonMutation(incidentId);
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('incidents.persons.removeTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack>
        <Text fz="sm">{t('incidents.persons.removeText', { name: person.name })}</Text>
        <ConflictOr error={remove.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              remove.mutate(
                { op: 'delete', personId: person.id, version: person.version },
                {
                  onSuccess: () => {
                    notifications.show({ color: 'teal', message: t('incidents.persons.removed') });
                    onClose();
                  },
                },
              )
            }
          >
            {t('incidents.persons.removeButton')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
