import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCircleCheck, IconCloudOff, IconCurrentLocation, IconRefresh, IconSend } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { fromLocalInput, IncidentStatusBadge, toLocalInput } from './incident-ui.tsx';
import { type Incident, incidentKeys, sendQuickReport, useIncidentList } from './incidents.api.ts';
import { emptyDraft, isRetryable, loadDraft, type QuickReportDraft, saveDraft } from './quick-report-draft.ts';

const RETRY_EVERY_MS = 30_000;

/**
 * The staff quick report: five questions on a phone. What is typed stays on the device until the server
 * has it; a failed send (offline, server error) is kept as "not sent" and tried again when the connection
 * comes back, with the same client key so a resend never makes a second incident.
 */
export function QuickReportPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { offices, current } = useOffices();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<QuickReportDraft | undefined>(() => loadDraft(me.userId));
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [sent, setSent] = useState<Incident | undefined>(undefined);
  const [locating, setLocating] = useState(false);
  const [locationError, setLocationError] = useState(false);
  const [touched, setTouched] = useState(false);
  const sendingRef = useRef(false);

  // A fresh draft once the offices are known; an old one is picked up as it was.
  useEffect(() => {
    if (!draft && current) setDraft(emptyDraft(current.id, toLocalInput(new Date().toISOString())));
  }, [draft, current]);

  const update = (changes: Partial<QuickReportDraft>) =>
    setDraft((d) => {
      if (!d) return d;
      const next = { ...d, ...changes };
      saveDraft(me.userId, next);
      return next;
    });

  const send = useCallback(
    async (toSend: QuickReportDraft) => {
      if (sendingRef.current) return;
      sendingRef.current = true;
      setSending(true);
      setError(undefined);
      try {
        const incident = await sendQuickReport(toSend.officeId, {
          clientKey: toSend.clientKey,
          what: toSend.what.trim(),
          where: toSend.where.trim(),
          when: fromLocalInput(toSend.when) ?? new Date().toISOString(),
          anyoneHurt: toSend.anyoneHurt === true,
          helpNeeded: toSend.helpNeeded.trim(),
          ...(toSend.latitude !== undefined && toSend.longitude !== undefined
            ? { latitude: toSend.latitude, longitude: toSend.longitude }
            : {}),
        });
        saveDraft(me.userId, undefined);
        setDraft(undefined);
        setTouched(false);
        setSent(incident);
        void queryClient.invalidateQueries({ queryKey: incidentKeys.lists() });
      } catch (e) {
        setError(e);
        if (isApiError(e) && isRetryable(e.status)) {
          const pending: QuickReportDraft = { ...toSend, state: 'pending', failedAt: new Date().toISOString() };
          saveDraft(me.userId, pending);
          setDraft(pending);
        }
      } finally {
        sendingRef.current = false;
        setSending(false);
      }
    },
    [me.userId, queryClient],
  );

  // A report not sent is tried again when the browser says it is back online, and every half minute.
  const pending = draft?.state === 'pending' ? draft : undefined;
  useEffect(() => {
    if (!pending) return;
    const retry = () => void send(pending);
    window.addEventListener('online', retry);
    const timer = window.setInterval(() => {
      if (navigator.onLine) retry();
    }, RETRY_EVERY_MS);
    return () => {
      window.removeEventListener('online', retry);
      window.clearInterval(timer);
    };
  }, [pending, send]);

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setLocationError(true);
      return;
    }
    setLocating(true);
    setLocationError(false);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        update({
          latitude: Math.round(p.coords.latitude * 1e5) / 1e5,
          longitude: Math.round(p.coords.longitude * 1e5) / 1e5,
        });
      },
      () => {
        setLocating(false);
        setLocationError(true);
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const whatMissing = touched && draft !== undefined && draft.what.trim() === '';
  const whereMissing = touched && draft !== undefined && draft.where.trim() === '';
  const hurtMissing = touched && draft?.anyoneHurt === null;

  const submit = () => {
    setTouched(true);
    if (!draft?.what.trim() || !draft.where.trim() || draft.anyoneHurt === null) return;
    void send(draft);
  };

  const networkLike = isApiError(error) && isRetryable(error.status);

  return (
    <Stack gap="md" maw={560} mx="auto">
      <PageHeader
        title={t('incidents.quick.title')}
        description={t('incidents.quick.description')}
        breadcrumbs={[{ label: t('incidents.title'), to: '/incidents' }, { label: t('incidents.quick.title') }]}
      />

      {sent && (
        <Alert
          role="status"
          color="teal"
          variant="light"
          icon={<IconCircleCheck size={20} aria-hidden />}
          title={t('incidents.quick.sentTitle')}
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setSent(undefined)}
        >
          <Text fz="sm">{t('incidents.quick.sentText', { reference: sent.reference })}</Text>
        </Alert>
      )}

      {pending && (
        <Alert
          role="alert"
          color="orange"
          variant="light"
          icon={<IconCloudOff size={20} aria-hidden />}
          title={t('incidents.quick.notSentTitle')}
        >
          <Stack gap="xs">
            <Text fz="sm">{t('incidents.quick.notSentText')}</Text>
            <Button
              size="md"
              variant="filled"
              color="orange"
              leftSection={<IconRefresh size={18} aria-hidden />}
              loading={sending}
              onClick={() => void send(pending)}
            >
              {t('incidents.quick.retry')}
            </Button>
          </Stack>
        </Alert>
      )}

      {error !== undefined && !networkLike && <ProblemAlert error={error} />}

      {draft ? (
        <Paper withBorder radius="md" p={{ base: 'sm', sm: 'lg' }}>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <Stack gap="lg">
              {offices.length > 1 && (
                <Select
                  size="md"
                  label={t('incidents.fields.office')}
                  data={offices.map((o) => ({ value: o.id, label: `${o.code} · ${o.name}` }))}
                  value={draft.officeId}
                  onChange={(v) => v && update({ officeId: v })}
                  allowDeselect={false}
                  comboboxProps={{ withinPortal: true }}
                />
              )}
              <Textarea
                size="md"
                label={t('incidents.quick.what')}
                description={t('incidents.quick.whatHint')}
                value={draft.what}
                onChange={(e) => update({ what: e.currentTarget.value })}
                autosize
                minRows={3}
                maxLength={4000}
                required
                error={whatMissing ? t('incidents.quick.required') : undefined}
              />
              <Stack gap={6}>
                <TextInput
                  size="md"
                  label={t('incidents.quick.where')}
                  description={t('incidents.quick.whereHint')}
                  value={draft.where}
                  onChange={(e) => update({ where: e.currentTarget.value })}
                  maxLength={500}
                  required
                  error={whereMissing ? t('incidents.quick.required') : undefined}
                />
                <Group gap="xs" wrap="wrap">
                  <Button
                    variant="light"
                    size="md"
                    leftSection={<IconCurrentLocation size={18} aria-hidden />}
                    loading={locating}
                    onClick={locate}
                  >
                    {t('incidents.quick.useLocation')}
                  </Button>
                  {draft.latitude !== undefined && draft.longitude !== undefined && (
                    <Group gap={6}>
                      <Text fz="sm" c="dimmed">
                        {t('incidents.quick.locationSet', {
                          lat: draft.latitude.toFixed(4),
                          lon: draft.longitude.toFixed(4),
                        })}
                      </Text>
                      <Anchor
                        component="button"
                        type="button"
                        fz="sm"
                        onClick={() => update({ latitude: undefined, longitude: undefined })}
                      >
                        {t('incidents.quick.removeLocation')}
                      </Anchor>
                    </Group>
                  )}
                </Group>
                {locationError && (
                  <Text fz="sm" c="red" role="alert">
                    {t('incidents.quick.locationFailed')}
                  </Text>
                )}
              </Stack>
              <TextInput
                size="md"
                type="datetime-local"
                label={t('incidents.quick.when')}
                value={draft.when}
                onChange={(e) => update({ when: e.currentTarget.value })}
              />
              <Stack gap={6}>
                <Text component="span" fz="md" fw={600} id="quick-hurt-label">
                  {t('incidents.quick.anyoneHurt')}{' '}
                  <Text component="span" c="red" aria-hidden>
                    *
                  </Text>
                </Text>
                <SegmentedControl
                  aria-labelledby="quick-hurt-label"
                  size="lg"
                  fullWidth
                  value={draft.anyoneHurt === null ? '' : draft.anyoneHurt ? 'yes' : 'no'}
                  onChange={(v) => update({ anyoneHurt: v === 'yes' })}
                  data={[
                    { value: 'no', label: t('incidents.quick.hurtNo') },
                    { value: 'yes', label: t('incidents.quick.hurtYes') },
                  ]}
                  color={draft.anyoneHurt ? 'red' : undefined}
                />
                {hurtMissing && (
                  <Text fz="sm" c="red">
                    {t('incidents.quick.chooseOne')}
                  </Text>
                )}
              </Stack>
              <Textarea
                size="md"
                label={t('incidents.quick.helpNeeded')}
                description={t('incidents.quick.helpNeededHint')}
                value={draft.helpNeeded}
                onChange={(e) => update({ helpNeeded: e.currentTarget.value })}
                autosize
                minRows={2}
                maxLength={2000}
              />
              <Button
                type="submit"
                size="xl"
                fullWidth
                leftSection={<IconSend size={20} aria-hidden />}
                loading={sending}
                disabled={draft.state === 'pending' && sending}
              >
                {draft.state === 'pending' ? t('incidents.quick.sendAgain') : t('incidents.quick.send')}
              </Button>
              <Text fz="xs" c="dimmed" ta="center">
                {t('incidents.quick.draftKept')}
              </Text>
            </Stack>
          </form>
        </Paper>
      ) : (
        !current && <Text c="dimmed">{t('incidents.quick.noOffice')}</Text>
      )}

      {sent && !draft && current && (
        <Button
          variant="default"
          size="md"
          onClick={() => setDraft(emptyDraft(current.id, toLocalInput(new Date().toISOString())))}
        >
          {t('incidents.quick.another')}
        </Button>
      )}

      <MyReports />
    </Stack>
  );
}

/** The reports the user filed, with where each one is now. */
function MyReports() {
  const { t } = useTranslation();
  const filters = useMemo(() => ({ mine: 'reported' as const, sort: '-reportedAt' as const }), []);
  const query = useIncidentList(filters, true, 20);
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const language = currentLanguage();
  return (
    <Stack gap="xs" component="section" aria-labelledby="my-reports-heading">
      <Title order={2} fz="lg" id="my-reports-heading">
        {t('incidents.quick.mine')}
      </Title>
      {query.isError && !query.data ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : query.isPending ? (
        <Text c="dimmed" fz="sm">
          {t('common.loading')}
        </Text>
      ) : rows.length === 0 ? (
        <Text c="dimmed" fz="sm">
          {t('incidents.quick.mineEmpty')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-labelledby="my-reports-heading">
          {rows.map((r) => (
            <Paper component="li" key={r.id} withBorder radius="md" p="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Anchor component={Link} to={`/incidents/${r.id}`} fw={500} lineClamp={2}>
                    {r.title}
                  </Anchor>
                  <Text fz="xs" c="dimmed">
                    {r.reference} · {formatDateTime(r.reportedAt, language)}
                  </Text>
                </Stack>
                <IncidentStatusBadge status={r.status} />
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
