import { Alert, Button, Divider, Group, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconBell } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  NOTIFICATION_KIND_LIST,
  type NotificationKindName,
  type Preferences,
} from '../../../shared/notifications/notifications.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { FormSkeleton } from '../../components/skeletons.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useNotificationPreferences, useSaveNotificationPreferences } from './notifications.api.ts';

/** The kinds a user chooses e-mail for (the test message is always sent: it is what it is for). */
const CHOSEN_KINDS = NOTIFICATION_KIND_LIST.filter((k) => k !== 'system.test');

interface Values {
  email: Record<NotificationKindName, boolean>;
  digest: boolean;
}

function valuesOf(p: Preferences): Values {
  const email = {} as Record<NotificationKindName, boolean>;
  for (const k of NOTIFICATION_KIND_LIST) email[k] = p.email[k] ?? true;
  return { email, digest: p.digest };
}

const same = (a: Values, b: Values) => JSON.stringify(a) === JSON.stringify(b);

/** Account → notifications: e-mail per kind, and one daily digest instead of one e-mail each. */
export function NotificationPreferencesSection() {
  const { t } = useTranslation();
  const { can } = useSession();
  const prefs = useNotificationPreferences();
  if (!can('notification.self')) return null;
  return (
    <SectionCard
      id="account-notifications"
      icon={<IconBell size={18} aria-hidden />}
      title={t('inbox.preferences.title')}
      description={t('inbox.preferences.description')}
    >
      {prefs.isError ? (
        <ErrorState error={prefs.error} onRetry={() => void prefs.refetch()} retrying={prefs.isFetching} />
      ) : prefs.isPending ? (
        <FormSkeleton fields={2} />
      ) : (
        <PreferencesForm prefs={prefs.data} onReload={() => void prefs.refetch()} />
      )}
    </SectionCard>
  );
}

function PreferencesForm({ prefs, onReload }: { prefs: Preferences; onReload: () => void }) {
  const { t } = useTranslation();
  const save = useSaveNotificationPreferences();
  const [values, setValues] = useState<Values>(() => valuesOf(prefs));
  const [baseline, setBaseline] = useState<Values>(() => valuesOf(prefs));
  // A newer version read from the server (after saving, or reloading after a conflict) resets the form.
  useEffect(() => {
    setValues(valuesOf(prefs));
    setBaseline(valuesOf(prefs));
  }, [prefs]);
  const dirty = !same(values, baseline);
  const conflict = isApiError(save.error) && save.error.isConflict;

  const submit = (event: { preventDefault(): void }) => {
    event.preventDefault();
    save.mutate(
      { email: values.email, digest: values.digest, version: prefs.version },
      { onSuccess: () => notifications.show({ color: 'teal', message: t('inbox.preferences.saved') }) },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="account-notifications">
      <Stack gap="sm">
        {conflict ? (
          <Alert color="orange" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            <Stack gap="xs" align="flex-start">
              {t('inbox.preferences.conflict')}
              <Button
                size="xs"
                onClick={() => {
                  save.reset();
                  onReload();
                }}
              >
                {t('inbox.preferences.reload')}
              </Button>
            </Stack>
          </Alert>
        ) : (
          save.error && <ProblemAlert error={save.error} />
        )}
        <Stack gap={10} role="group" aria-labelledby="notification-email-kinds">
          <Text id="notification-email-kinds" fz="sm" fw={500}>
            {t('inbox.preferences.emailFor')}
          </Text>
          {CHOSEN_KINDS.map((kind) => (
            <Switch
              key={kind}
              label={t(`inbox.kinds.${kind}`)}
              checked={values.email[kind]}
              onChange={(e) => {
                const checked = e.currentTarget.checked;
                setValues((v) => ({ ...v, email: { ...v.email, [kind]: checked } }));
              }}
            />
          ))}
        </Stack>
        <Divider />
        <Switch
          label={t('inbox.preferences.digest')}
          description={t('inbox.preferences.digestHelp')}
          checked={values.digest}
          onChange={(e) => {
            const checked = e.currentTarget.checked;
            setValues((v) => ({ ...v, digest: checked }));
          }}
        />
        <Group gap="xs">
          <SubmitButton loading={save.isPending} disabled={!dirty || conflict}>
            {t('common.save')}
          </SubmitButton>
          {dirty && (
            <Button variant="default" onClick={() => setValues(baseline)}>
              {t('common.discard')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
