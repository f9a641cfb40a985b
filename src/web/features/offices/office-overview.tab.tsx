import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDeviceFloppy } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Office, OfficeUpdateInput } from '../../../shared/offices/offices.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import { countryName, formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { OfficeFields, type OfficeValues } from './office-fields.tsx';
import { useOffice, useUpdateOffice } from './offices.api.ts';

type Editable = Exclude<keyof OfficeValues, 'code'>;
const EDITABLE: readonly Editable[] = ['name', 'countries', 'timezone', 'defaultLanguage'];

function valuesOf(office: Office): OfficeValues {
  return {
    code: office.code,
    name: office.name,
    countries: [...office.countries],
    timezone: office.timezone,
    defaultLanguage: office.defaultLanguage,
  };
}

function same(a: OfficeValues[Editable], b: OfficeValues[Editable]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The office's own fields. Saving sends the version the form was loaded at; if someone saved in between,
 * the server answers 409 and we show what they changed — never overwrite silently.
 */
export function OfficeOverviewTab({ office }: { office: Office }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { can } = useSession();
  const canEdit = can('office.update');
  const update = useUpdateOffice(office.id);
  const latest = useOffice(office.id);
  const [base, setBase] = useState<Office>(office);
  const form = useZodForm({
    schema: OfficeUpdateInput,
    initialValues: valuesOf(office),
    toInput: ({ code: _code, ...v }: OfficeValues) => ({ ...v, version: base.version }),
  });

  // A newer version arrived (refetch, or our own save): follow it unless the user is editing.
  useEffect(() => {
    if (office.version !== base.version && !form.isDirty) {
      setBase(office);
      form.reset(valuesOf(office));
    }
  }, [office, base.version, form.isDirty, form.reset]);

  const conflict = isApiError(update.error) && update.error.isConflict;
  const staleWhileEditing = form.isDirty && office.version !== base.version;
  const theirChanges = EDITABLE.filter((f) => !same(valuesOf(office)[f], valuesOf(base)[f]));

  const loadLatest = () => {
    update.reset();
    setBase(office);
    form.reset(valuesOf(office));
  };
  const keepMine = () => {
    // The user has seen the other change; their next save is made on top of it, on purpose.
    update.reset();
    setBase(office);
  };

  const submit = form.handleSubmit((body) => {
    update.mutate(body, {
      onSuccess: (saved) => {
        notifications.show({ color: 'teal', message: t('offices.saved', { code: saved.code }) });
        setBase(saved);
        form.reset(valuesOf(saved));
      },
      onError: (error) => {
        if (isApiError(error) && error.isConflict) void latest.refetch();
        else form.applyServerError(error);
      },
    });
  });

  const display = (field: Editable, v: OfficeValues): string => {
    if (field === 'countries') return v.countries.map((c) => countryName(c, language)).join(', ');
    if (field === 'defaultLanguage') return t(`language.native.${v.defaultLanguage}`);
    return v[field];
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('offices.tabs.overview')}>
      <Stack gap="md" maw={640}>
        {(conflict || staleWhileEditing) && (
          <Alert
            role="alert"
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} aria-hidden />}
            title={t('offices.conflict.title')}
          >
            <Stack gap="xs">
              <Text fz="sm">
                {conflict ? t('offices.conflict.notSaved') : t('offices.conflict.changedWhileEditing')}
              </Text>
              {office.version !== base.version && theirChanges.length > 0 && (
                <Table withTableBorder fz="sm" verticalSpacing={4} aria-label={t('offices.conflict.diff')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('offices.conflict.field')}</Table.Th>
                      <Table.Th>{t('offices.conflict.theirs')}</Table.Th>
                      <Table.Th>{t('offices.conflict.yours')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {theirChanges.map((f) => (
                      <Table.Tr key={f}>
                        <Table.Td>{t(`offices.fields.${f}`)}</Table.Td>
                        <Table.Td>{display(f, valuesOf(office))}</Table.Td>
                        <Table.Td>{display(f, form.values)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              {conflict && latest.isFetching && (
                <Text fz="sm" c="dimmed">
                  {t('common.loading')}
                </Text>
              )}
              <Group gap="xs">
                <Button size="xs" onClick={loadLatest} disabled={office.version === base.version}>
                  {t('offices.conflict.loadLatest')}
                </Button>
                <Button size="xs" variant="default" onClick={keepMine} disabled={office.version === base.version}>
                  {t('offices.conflict.keepMine')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {update.error && !conflict && (
          <ProblemAlert
            error={update.error}
            fieldErrors={form.unplacedErrors}
            fieldsShown={form.hasServerFieldErrors}
          />
        )}

        {!canEdit && (
          <Text fz="sm" c="dimmed">
            {t('offices.readOnly')}
          </Text>
        )}
        <OfficeFields form={form} withCode={false} readOnly={!canEdit} />

        <Group justify="space-between" gap="xs">
          <Text fz="xs" c="dimmed">
            {t('common.versionInfo', {
              version: base.version,
              updated: formatDateTime(base.updatedAt, language),
            })}
          </Text>
          {canEdit && (
            <Group gap="xs">
              <Button variant="default" onClick={loadLatest} disabled={!form.isDirty || update.isPending}>
                {t('common.discard')}
              </Button>
              <SubmitButton
                leftSection={<IconDeviceFloppy size={16} aria-hidden />}
                loading={update.isPending}
                disabled={!form.isDirty || conflict}
              >
                {t('common.save')}
              </SubmitButton>
            </Group>
          )}
        </Group>
      </Stack>
    </form>
  );
}
