import {
  Alert,
  Button,
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
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SITE_KINDS, type Site, SiteCreateInput, SiteUpdateInput } from '../../../shared/sites/sites.schemas.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import { countryOptions } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { fetchSite, useCreateSite, useUpdateSite } from './sites.api.ts';

type Kind = (typeof SITE_KINDS)[number];

interface SiteValues {
  name: string;
  kind: Kind | '';
  address: string;
  city: string;
  country: string;
  /** What the number input holds: a number, '' for none, or text being typed (e.g. "-"). */
  latitude: number | string;
  longitude: number | string;
  notes: string;
}

function valuesOf(site: Site | undefined, defaultCountry: string): SiteValues {
  return {
    name: site?.name ?? '',
    kind: site?.kind ?? 'office_premises',
    address: site?.address ?? '',
    city: site?.city ?? '',
    country: site?.country ?? defaultCountry,
    latitude: site?.latitude ?? '',
    longitude: site?.longitude ?? '',
    notes: site?.notes ?? '',
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s);
const numberOrNull = (n: number | string) => (n === '' ? null : typeof n === 'number' ? n : Number(n));

function toBody(v: SiteValues) {
  return {
    name: v.name,
    kind: v.kind === '' ? undefined : v.kind,
    address: orNull(v.address),
    city: orNull(v.city),
    country: v.country,
    latitude: numberOrNull(v.latitude),
    longitude: numberOrNull(v.longitude),
    notes: orNull(v.notes),
  };
}

interface SiteFormModalProps {
  officeId: string;
  /** Countries of the office: the first is the default for a new site. */
  officeCountries: string[];
  /** The site to edit; none to add one. */
  site: Site | undefined;
  opened: boolean;
  onClose: () => void;
}

export function SiteFormModal(props: SiteFormModalProps) {
  // Mounting the form afresh per site keeps its state simple.
  if (!props.opened) return null;
  return <SiteForm key={props.site?.id ?? 'new'} {...props} />;
}

function SiteForm({ officeId, officeCountries, site, opened, onClose }: SiteFormModalProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const countries = useMemo(() => countryOptions(language), [language]);
  const create = useCreateSite(officeId);
  const update = useUpdateSite(officeId);
  const mutation = site ? update : create;
  const [version, setVersion] = useState(site?.version ?? 1);
  const [reloading, setReloading] = useState(false);
  const form = useZodForm({
    schema: site ? SiteUpdateInput : SiteCreateInput,
    initialValues: valuesOf(site, officeCountries[0] ?? ''),
    toInput: (v: SiteValues) => (site ? { ...toBody(v), version } : toBody(v)),
  });
  const conflict = isApiError(mutation.error) && mutation.error.isConflict;

  const submit = form.handleSubmit(() => {
    const onError = (error: unknown) => form.applyServerError(error);
    const body = toBody(form.values);
    if (site) {
      update.mutate(
        { id: site.id, body: { ...body, version } },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'teal', message: t('sites.saved', { name: saved.name }) });
            onClose();
          },
          onError,
        },
      );
    } else {
      if (body.kind === undefined) return;
      create.mutate(
        { ...body, kind: body.kind },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'teal', message: t('sites.created', { name: saved.name }) });
            onClose();
          },
          onError,
        },
      );
    }
  });

  const reloadLatest = async () => {
    if (!site) return;
    setReloading(true);
    try {
      const latest = await fetchSite(site.id);
      form.reset(valuesOf(latest, officeCountries[0] ?? ''));
      setVersion(latest.version);
      mutation.reset();
    } catch (error) {
      notifications.show({ color: 'red', message: isApiError(error) ? error.title : t('errors.unexpected') });
    } finally {
      setReloading(false);
    }
  };

  const title = site ? t('sites.editTitle', { name: site.name }) : t('sites.new');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack gap="md">
          {conflict ? (
            <Alert
              role="alert"
              color="orange"
              variant="light"
              icon={<IconAlertTriangle size={18} aria-hidden />}
              title={t('sites.conflict.title')}
            >
              <Stack gap="xs" align="flex-start">
                {t('sites.conflict.text')}
                <Button size="xs" onClick={() => void reloadLatest()} loading={reloading}>
                  {t('sites.conflict.reload')}
                </Button>
              </Stack>
            </Alert>
          ) : (
            mutation.error && (
              <ProblemAlert
                error={mutation.error}
                fieldErrors={form.unplacedErrors}
                fieldsShown={form.hasServerFieldErrors}
              />
            )
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label={t('sites.fields.name')}
              required
              maxLength={200}
              data-autofocus
              value={form.values.name}
              onChange={(e) => form.setValue('name', e.currentTarget.value)}
              onBlur={() => form.touch('name')}
              error={form.errorOf('name')}
            />
            <Select
              label={t('sites.fields.kind')}
              required
              allowDeselect={false}
              data={SITE_KINDS.map((k) => ({ value: k, label: t(`sites.kinds.${k}`) }))}
              value={form.values.kind || null}
              onChange={(v) => form.setValue('kind', SITE_KINDS.find((k) => k === v) ?? '')}
              onBlur={() => form.touch('kind')}
              error={form.errorOf('kind')}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <TextInput
            label={t('sites.fields.address')}
            maxLength={500}
            value={form.values.address}
            onChange={(e) => form.setValue('address', e.currentTarget.value)}
            onBlur={() => form.touch('address')}
            error={form.errorOf('address')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label={t('sites.fields.city')}
              maxLength={200}
              value={form.values.city}
              onChange={(e) => form.setValue('city', e.currentTarget.value)}
              onBlur={() => form.touch('city')}
              error={form.errorOf('city')}
            />
            <Select
              label={t('sites.fields.country')}
              required
              searchable
              data={countries}
              value={form.values.country || null}
              onChange={(v) => form.setValue('country', v ?? '')}
              onBlur={() => form.touch('country')}
              error={form.errorOf('country')}
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <NumberInput
              label={t('sites.fields.latitude')}
              description={t('sites.fields.coordinatesHelp')}
              decimalScale={6}
              min={-90}
              max={90}
              hideControls
              value={form.values.latitude}
              onChange={(v) => form.setValue('latitude', v)}
              onBlur={() => form.touch('latitude')}
              error={form.errorOf('latitude')}
            />
            <NumberInput
              label={t('sites.fields.longitude')}
              description={t('sites.fields.coordinatesHelpLon')}
              decimalScale={6}
              min={-180}
              max={180}
              hideControls
              value={form.values.longitude}
              onChange={(v) => form.setValue('longitude', v)}
              onBlur={() => form.touch('longitude')}
              error={form.errorOf('longitude')}
            />
          </SimpleGrid>
          <Textarea
            label={t('sites.fields.notes')}
            autosize
            minRows={2}
            maxRows={8}
            maxLength={5000}
            value={form.values.notes}
            onChange={(e) => form.setValue('notes', e.currentTarget.value)}
            onBlur={() => form.touch('notes')}
            error={form.errorOf('notes')}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose} disabled={mutation.isPending}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={mutation.isPending} disabled={conflict}>
              {site ? t('common.save') : t('sites.add')}
            </SubmitButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
