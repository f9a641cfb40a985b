import { Alert, Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconShieldLock } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { SecurityPolicyInput } from '../../../shared/auth/auth.schemas.ts';
import { ROLES, type Role } from '../../../shared/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { FormSkeleton } from '../../components/skeletons.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { useZodForm } from '../../lib/form.ts';
import { useSecurityPolicy, useSetSecurityPolicy } from './admin.api.ts';
import { AdminTabs } from './admin-tabs.tsx';

function PolicyForm({ initial }: { initial: Role[] }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const save = useSetSecurityPolicy();
  const form = useZodForm({ schema: SecurityPolicyInput, initialValues: { mfaRequiredRoles: initial } });
  const { reset } = form;
  useEffect(() => reset({ mfaRequiredRoles: initial }), [initial, reset]);

  const chosen = form.values.mfaRequiredRoles;
  const selfAffected = chosen.includes(me.role) && !me.mfaEnabled;

  const submit = form.handleSubmit((body) => {
    // In the order of the role list, so the saved policy reads the same everywhere.
    const mfaRequiredRoles = ROLES.filter((r) => body.mfaRequiredRoles.includes(r));
    save.mutate(
      { mfaRequiredRoles },
      {
        onSuccess: (policy) => {
          form.reset({ mfaRequiredRoles: policy.mfaRequiredRoles });
          notifications.show({ color: 'teal', message: t('policy.saved') });
        },
        onError: (error) => form.applyServerError(error),
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate aria-labelledby="policy-mfa">
      <SectionCard
        id="policy-mfa"
        icon={<IconShieldLock size={18} aria-hidden />}
        title={t('policy.mfaTitle')}
        description={t('policy.mfaText')}
      >
        {save.error && (
          <ProblemAlert error={save.error} fieldErrors={form.unplacedErrors} fieldsShown={form.hasServerFieldErrors} />
        )}
        <Checkbox.Group
          label={t('policy.mfaRoles')}
          value={chosen}
          onChange={(v) =>
            form.setValue(
              'mfaRequiredRoles',
              ROLES.filter((r) => v.includes(r)),
            )
          }
          error={form.errorOf('mfaRequiredRoles')}
        >
          <Stack gap={8} mt={6}>
            {ROLES.map((r) => (
              <Checkbox key={r} value={r} label={t(`roles.${r}`)} description={t(`policy.roleHelp.${r}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
          {t('policy.effect')}
        </Alert>
        {selfAffected && (
          <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
            {t('policy.selfAffected')}
          </Alert>
        )}
        <Group gap="xs">
          <SubmitButton loading={save.isPending} disabled={!form.isDirty}>
            {t('common.save')}
          </SubmitButton>
          {form.isDirty && (
            <Button variant="default" onClick={() => form.reset({ mfaRequiredRoles: initial })}>
              {t('common.discard')}
            </Button>
          )}
          {!form.isDirty && (
            <Text fz="sm" c="dimmed">
              {initial.length === 0
                ? t('policy.noneRequired')
                : t('policy.required', { roles: initial.map((r) => t(`roles.${r}`)).join(', ') })}
            </Text>
          )}
        </Group>
      </SectionCard>
    </form>
  );
}

/** The installation's security policy: which roles must use two-step verification. */
export function SecurityPolicyPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const allowed = can('policy.manage');
  const policy = useSecurityPolicy(allowed);
  return (
    <>
      <PageHeader
        title={t('policy.title')}
        description={t('policy.description')}
        breadcrumbs={[{ label: t('modules.admin.name'), to: '/admin' }, { label: t('policy.title') }]}
      />
      <AdminTabs current="security">
        {!allowed ? (
          <NoAccess />
        ) : policy.isError ? (
          <ErrorState error={policy.error} onRetry={() => void policy.refetch()} retrying={policy.isFetching} />
        ) : policy.isPending ? (
          <FormSkeleton fields={3} />
        ) : (
          <Stack maw={720}>
            <PolicyForm initial={policy.data.mfaRequiredRoles} />
          </Stack>
        )}
      </AdminTabs>
    </>
  );
}
