import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContractBody } from '../../../shared/contract.ts';
import type { createIncident, updateIncident } from '../../../shared/incidents/incidents.contract.ts';
import {
  INCIDENT_ACTOR_TYPES,
  INCIDENT_DETERMINATIONS,
  INCIDENT_DOMAINS,
  INCIDENT_LOCATION_TYPES,
  INCIDENT_SEVERITIES,
  TLP_LEVELS,
} from '../../../shared/incidents/incidents.enums.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { countryOptions } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { serverErrorsByField } from '../../lib/validation.ts';
import { categoryLabel, fromLocalInput, toLocalInput } from './incident-ui.tsx';
import { type Incident, useCategories, useCreateIncident, useUpdateIncident } from './incidents.api.ts';

type CreateBody = ContractBody<typeof createIncident>;
type UpdateBody = ContractBody<typeof updateIncident>;

const PHONE_CHANNELS = ['phone', 'walk_in', 'email', 'other'] as const;

interface Values {
  title: string;
  narrative: string;
  domain: string;
  category: string;
  determination: string;
  severity: string;
  occurredAt: string;
  detectedAt: string;
  country: string;
  city: string;
  locationType: string;
  locationText: string;
  latitude: number | '';
  longitude: number | '';
  reportChannel: string;
  reporterName: string;
  actorType: string;
  tlp: string;
  classification: string;
  sensitive: boolean;
}

function initial(incident: Incident | undefined, mode: 'full' | 'phone' | 'edit'): Values {
  return {
    title: incident?.title ?? '',
    narrative: incident?.narrative ?? '',
    domain: incident?.domain ?? 'physical',
    category: incident?.category ?? '',
    determination: incident?.determination ?? 'suspected',
    severity: incident?.severity ? String(incident.severity) : '',
    occurredAt: toLocalInput(incident?.occurredAt),
    detectedAt: toLocalInput(incident?.detectedAt),
    country: incident?.country ?? '',
    city: incident?.city ?? '',
    locationType: incident?.locationType ?? '',
    locationText: incident?.locationText ?? '',
    latitude: incident?.latitude ?? '',
    longitude: incident?.longitude ?? '',
    reportChannel: incident?.reportChannel ?? (mode === 'phone' ? 'phone' : 'app'),
    reporterName: incident?.reporterName ?? '',
    actorType: incident?.actorType ?? '',
    tlp: incident?.tlp ?? 'amber',
    classification: incident?.classification ?? '',
    sensitive: incident?.sensitive ?? false,
  };
}

interface Props {
  officeId: string;
  mode: 'full' | 'phone' | 'edit';
  incident?: Incident;
  opened: boolean;
  onClose: () => void;
  onCreated?: (incident: Incident) => void;
}

/**
 * The officer's incident form: a new incident (also one reported by phone or in person, with the
 * reporter's name), or the core fields of an existing one (sent with its version; a conflict says so).
 */
export function IncidentFormModal({ officeId, mode, incident, opened, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [values, setValues] = useState<Values>(() => initial(incident, mode));
  const categories = useCategories(incident?.officeId ?? officeId);
  const create = useCreateIncident(officeId);
  const update = useUpdateIncident(incident?.id ?? '');
  const mutation = mode === 'edit' ? update : create;
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const fieldErrors = isApiError(mutation.error) ? serverErrorsByField(mutation.error.errors, t) : {};
  const conflict = isApiError(mutation.error) && mutation.error.isConflict;

  const chosenCategory = categories.data?.find((c) => c.code === values.category);

  /** The form's values as the API takes them (the server checks every field again). */
  const body = (): Record<string, unknown> => {
    const b: Record<string, unknown> = {
      title: values.title.trim(),
      narrative: values.narrative.trim() || null,
      domain: values.domain,
      category: values.category,
      determination: values.determination,
      severity: values.severity ? Number(values.severity) : null,
      occurredAt: fromLocalInput(values.occurredAt) ?? null,
      detectedAt: fromLocalInput(values.detectedAt) ?? null,
      country: values.country || null,
      city: values.city.trim() || null,
      locationType: values.locationType || null,
      locationText: values.locationText.trim() || null,
      latitude: values.latitude === '' ? null : values.latitude,
      longitude: values.longitude === '' ? null : values.longitude,
      actorType: values.actorType || null,
      tlp: values.tlp,
      classification: values.classification.trim() || null,
      sensitive: values.sensitive,
    };
    if (mode !== 'edit') {
      b.reportChannel = values.reportChannel;
      if (mode === 'phone') b.reporterName = values.reporterName.trim() || null;
    }
    return b;
  };

  const submit = () => {
    if (mode === 'edit' && incident) {
      update.mutate({ ...body(), version: incident.version } as UpdateBody, {
        onSuccess: (saved) => {
          notifications.show({ color: 'teal', message: t('incidents.form.saved', { reference: saved.reference }) });
          onClose();
        },
      });
    } else {
      create.mutate(body() as CreateBody, {
        onSuccess: (saved) => {
          notifications.show({ color: 'teal', message: t('incidents.form.created', { reference: saved.reference }) });
          onClose();
          onCreated?.(saved);
        },
      });
    }
  };

  const title =
    mode === 'edit'
      ? t('incidents.form.editTitle')
      : mode === 'phone'
        ? t('incidents.form.newPhone')
        : t('incidents.form.newFull');

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size="xl"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          {conflict ? (
            <Alert color="orange" role="alert" title={t('incidents.conflict.title')}>
              {t('incidents.conflict.text')}
            </Alert>
          ) : (
            <ProblemAlert error={mutation.error} fieldsShown />
          )}
          {mode === 'phone' && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('incidents.fields.reportChannel')}
                data={PHONE_CHANNELS.map((c) => ({ value: c, label: t(`incidents.channel.${c}`) }))}
                value={values.reportChannel}
                onChange={(v) => v && set('reportChannel', v)}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
              />
              <TextInput
                label={t('incidents.fields.reporterName')}
                value={values.reporterName}
                onChange={(e) => set('reporterName', e.currentTarget.value)}
                maxLength={200}
                error={fieldErrors.reporterName}
              />
            </SimpleGrid>
          )}
          <TextInput
            label={t('incidents.fields.title')}
            value={values.title}
            onChange={(e) => set('title', e.currentTarget.value)}
            required
            maxLength={300}
            data-autofocus
            error={fieldErrors.title}
          />
          <Textarea
            label={t('incidents.fields.narrative')}
            description={t('incidents.form.markdownHint')}
            value={values.narrative}
            onChange={(e) => set('narrative', e.currentTarget.value)}
            autosize
            minRows={4}
            maxRows={14}
            error={fieldErrors.narrative}
          />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <Select
              label={t('incidents.fields.category')}
              data={(categories.data ?? [])
                .filter((c) => c.active !== false)
                .map((c) => ({ value: c.code, label: categoryLabel(c.code, categories.data) }))}
              value={values.category || null}
              onChange={(v) => {
                const c = categories.data?.find((x) => x.code === v);
                setValues((old) => ({
                  ...old,
                  category: v ?? '',
                  domain: c?.domain ?? old.domain,
                  severity: old.severity || (c?.defaultSeverity ? String(c.defaultSeverity) : ''),
                  sensitive: old.sensitive || c?.sensitive === true,
                }));
              }}
              searchable
              required
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
              error={fieldErrors.category}
            />
            <Select
              label={t('incidents.fields.domain')}
              data={INCIDENT_DOMAINS.map((d) => ({ value: d, label: t(`incidents.domain.${d}`) }))}
              value={values.domain}
              onChange={(v) => v && set('domain', v)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('incidents.fields.determination')}
              data={INCIDENT_DETERMINATIONS.map((d) => ({ value: d, label: t(`incidents.determination.${d}`) }))}
              value={values.determination}
              onChange={(v) => v && set('determination', v)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('incidents.fields.severity')}
              data={INCIDENT_SEVERITIES.map((s) => ({
                value: String(s),
                label: `${s} · ${t(`incidents.severity.name.${String(s) as '1'}`)}`,
              }))}
              value={values.severity || null}
              onChange={(v) => set('severity', v ?? '')}
              clearable
              description={values.severity ? t(`incidents.severity.criteria.${values.severity as '1'}`) : undefined}
              comboboxProps={{ withinPortal: true }}
              error={fieldErrors.severity}
            />
            <TextInput
              type="datetime-local"
              label={t('incidents.fields.occurredAt')}
              value={values.occurredAt}
              onChange={(e) => set('occurredAt', e.currentTarget.value)}
            />
            <TextInput
              type="datetime-local"
              label={t('incidents.fields.detectedAt')}
              value={values.detectedAt}
              onChange={(e) => set('detectedAt', e.currentTarget.value)}
            />
            <Select
              label={t('incidents.fields.country')}
              data={countryOptions(language)}
              value={values.country || null}
              onChange={(v) => set('country', v ?? '')}
              searchable
              clearable
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label={t('incidents.fields.city')}
              value={values.city}
              onChange={(e) => set('city', e.currentTarget.value)}
              maxLength={200}
            />
            <Select
              label={t('incidents.fields.locationType')}
              data={INCIDENT_LOCATION_TYPES.map((l) => ({ value: l, label: t(`incidents.locationType.${l}`) }))}
              value={values.locationType || null}
              onChange={(v) => set('locationType', v ?? '')}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <TextInput
            label={t('incidents.fields.locationText')}
            value={values.locationText}
            onChange={(e) => set('locationText', e.currentTarget.value)}
            maxLength={500}
          />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <NumberInput
              label={t('incidents.fields.latitude')}
              value={values.latitude}
              onChange={(v) => set('latitude', typeof v === 'number' ? v : '')}
              min={-90}
              max={90}
              decimalScale={6}
              error={fieldErrors.latitude}
            />
            <NumberInput
              label={t('incidents.fields.longitude')}
              value={values.longitude}
              onChange={(v) => set('longitude', typeof v === 'number' ? v : '')}
              min={-180}
              max={180}
              decimalScale={6}
              error={fieldErrors.longitude}
            />
            <Select
              label={t('incidents.fields.actorType')}
              data={INCIDENT_ACTOR_TYPES.map((a) => ({ value: a, label: t(`incidents.actorType.${a}`) }))}
              value={values.actorType || null}
              onChange={(v) => set('actorType', v ?? '')}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('incidents.fields.tlp')}
              data={TLP_LEVELS.map((l) => ({ value: l, label: `TLP:${l.toUpperCase()}` }))}
              value={values.tlp}
              onChange={(v) => v && set('tlp', v)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label={t('incidents.fields.classification')}
              value={values.classification}
              onChange={(e) => set('classification', e.currentTarget.value)}
              maxLength={100}
            />
          </SimpleGrid>
          <Checkbox
            label={t('incidents.fields.sensitive')}
            description={
              chosenCategory?.sensitive ? t('incidents.form.sensitiveByCategory') : t('incidents.sensitiveHint')
            }
            checked={values.sensitive}
            disabled={chosenCategory?.sensitive === true}
            onChange={(e) => set('sensitive', e.currentTarget.checked)}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={mutation.isPending}>
              {mode === 'edit' ? t('common.save') : t('incidents.form.create')}
            </SubmitButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
