import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  ScrollArea,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconCopy, IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiToken, ApiTokenCreateInput, TOKEN_SCOPES } from '../../../shared/auth/auth.schemas.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { TableSkeletonRows } from '../../components/skeletons.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { useZodForm } from '../../lib/form.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { useCreateToken, useRevokeToken, useTokens } from '../auth/auth.api.ts';

type Scope = (typeof TOKEN_SCOPES)[number];
const EXPIRY_DAYS = ['7', '30', '90', '180', '365', 'never'] as const;
type Expiry = (typeof EXPIRY_DAYS)[number];

interface TokenValues {
  name: string;
  scope: Scope;
  expires: Expiry;
}

const toInput = (v: TokenValues) => ({
  name: v.name,
  scope: v.scope,
  expiresDays: v.expires === 'never' ? null : Number(v.expires),
});

function tokenState(token: ApiToken, now: number): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

function TokenStateBadge({ state }: { state: ReturnType<typeof tokenState> }) {
  const { t } = useTranslation();
  const color = state === 'active' ? 'teal' : state === 'expired' ? 'yellow' : 'gray';
  return (
    <Badge color={color} variant={state === 'active' ? 'light' : 'default'} tt="none" radius="sm">
      {t(`tokens.state.${state}`)}
    </Badge>
  );
}

/** API tokens for automation: listed (never the secret), created with the token shown once, revoked. */
export function TokensSection() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const list = useTokens();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | undefined>();
  const now = Date.now();
  // Live tokens first, then the others; newest first within each.
  const items = [...(list.data?.items ?? [])].sort(
    (a, b) =>
      Number(tokenState(a, now) !== 'active') - Number(tokenState(b, now) !== 'active') ||
      b.createdAt.localeCompare(a.createdAt),
  );

  const confirmRevoke = () => {
    if (!revoking) return;
    revoke.mutate(revoking.id, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('tokens.revoked', { name: revoking.name }) });
        setRevoking(undefined);
      },
    });
  };

  return (
    <SectionCard
      id="account-tokens"
      icon={<IconKey size={18} aria-hidden />}
      title={t('tokens.title')}
      description={t('tokens.description')}
      actions={
        <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
          {t('tokens.create')}
        </Button>
      }
    >
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : !list.isPending && items.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('tokens.none')}
        </Text>
      ) : (
        <ScrollArea type="auto">
          <Table miw={760} aria-label={t('tokens.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tokens.name')}</Table.Th>
                <Table.Th>{t('tokens.scope')}</Table.Th>
                <Table.Th>{t('common.created')}</Table.Th>
                <Table.Th>{t('tokens.expires')}</Table.Th>
                <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                <Table.Th miw={96}>{t('tokens.status')}</Table.Th>
                <Table.Th w={48}>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.isPending ? (
                <TableSkeletonRows columns={7} rows={2} />
              ) : (
                items.map((token) => {
                  const state = tokenState(token, now);
                  return (
                    <Table.Tr
                      key={token.id}
                      c={state === 'active' ? undefined : 'dimmed'}
                      style={{ whiteSpace: 'nowrap' }}
                    >
                      <Table.Td>
                        <Text fz="sm" fw={500}>
                          {token.name}
                        </Text>
                        <Code fz={11} title={t('tokens.prefix')}>
                          {token.prefix}…
                        </Code>
                      </Table.Td>
                      <Table.Td>{t(`tokens.scopes.${token.scope}`)}</Table.Td>
                      <Table.Td>{formatDate(token.createdAt, language)}</Table.Td>
                      <Table.Td>{token.expiresAt ? formatDate(token.expiresAt, language) : t('tokens.never')}</Table.Td>
                      <Table.Td>
                        {token.lastUsedAt ? formatDateTime(token.lastUsedAt, language) : t('tokens.notUsed')}
                      </Table.Td>
                      <Table.Td>
                        <TokenStateBadge state={state} />
                      </Table.Td>
                      <Table.Td>
                        {state === 'active' && (
                          <Tooltip label={t('tokens.revoke')} withArrow>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={t('tokens.revokeNamed', { name: token.name })}
                              onClick={() => {
                                revoke.reset();
                                setRevoking(token);
                              }}
                            >
                              <IconTrash size={16} aria-hidden />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {creating && <CreateTokenModal onClose={() => setCreating(false)} />}
      <ConfirmDialog
        opened={Boolean(revoking)}
        onClose={() => setRevoking(undefined)}
        onConfirm={confirmRevoke}
        title={t('tokens.revokeTitle', { name: revoking?.name ?? '' })}
        message={t('tokens.revokeText')}
        confirmLabel={t('tokens.revoke')}
        danger
        loading={revoke.isPending}
        error={revoke.error}
      />
    </SectionCard>
  );
}

function CreateTokenModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const create = useCreateToken();
  const form = useZodForm({
    schema: ApiTokenCreateInput,
    initialValues: { name: '', scope: 'read', expires: '90' } as TokenValues,
    toInput,
  });
  const created = create.data;

  const submit = form.handleSubmit(() => {
    create.mutate(toInput(form.values), { onError: (error) => form.applyServerError(error) });
  });

  const expiryOptions = EXPIRY_DAYS.map((d) => ({
    value: d,
    label: d === 'never' ? t('tokens.noExpiry') : t('tokens.days', { count: Number(d) }),
  }));

  return (
    <Modal
      opened
      onClose={onClose}
      title={created ? t('tokens.createdTitle') : t('tokens.createTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      // Closing by accident would lose the token for good: only the explicit buttons close it then.
      closeOnClickOutside={!created}
      size="lg"
    >
      {created ? (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
            {t('tokens.shownOnce')}
          </Alert>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <Textarea
              label={t('tokens.yourToken', { name: created.apiToken.name })}
              value={created.token}
              readOnly
              autosize
              minRows={1}
              spellCheck={false}
              onFocus={(e) => e.currentTarget.select()}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' } }}
              style={{ flex: 1 }}
            />
            <CopyButton value={created.token}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'light' : 'default'}
                  color={copied ? 'teal' : undefined}
                  onClick={copy}
                  leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                >
                  {copied ? t('common.copied') : t('tokens.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Text fz="sm" c="dimmed">
            {t('tokens.usage')} <Code>Authorization: Bearer …</Code>
          </Text>
          <Text fz="sm" c="dimmed">
            {t(`tokens.scopeHelp.${created.apiToken.scope}`)}{' '}
            {created.apiToken.expiresAt
              ? t('tokens.expiresOn', { date: formatDate(created.apiToken.expiresAt, language) })
              : t('tokens.noExpiry')}
          </Text>
          <Button onClick={onClose}>{t('tokens.done')}</Button>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate aria-label={t('tokens.createTitle')}>
          <Stack gap="md">
            {create.error && (
              <ProblemAlert
                error={create.error}
                fieldErrors={form.unplacedErrors}
                fieldsShown={form.hasServerFieldErrors}
              />
            )}
            <TextInput
              label={t('tokens.name')}
              description={t('tokens.nameHelp')}
              required
              data-autofocus
              value={form.values.name}
              onChange={(e) => form.setValue('name', e.currentTarget.value)}
              onBlur={() => form.touch('name')}
              error={form.errorOf('name')}
            />
            <Stack gap={4}>
              <Text id="token-scope-label" fz="sm" fw={500}>
                {t('tokens.scope')}
              </Text>
              <SegmentedControl
                aria-labelledby="token-scope-label"
                value={form.values.scope}
                onChange={(v) => form.setValue('scope', v as Scope)}
                data={TOKEN_SCOPES.map((s) => ({ value: s, label: t(`tokens.scopes.${s}`) }))}
              />
              <Text fz="xs" c="dimmed">
                {t(`tokens.scopeHelp.${form.values.scope}`)}
              </Text>
            </Stack>
            <Select
              label={t('tokens.expiry')}
              data={expiryOptions}
              value={form.values.expires}
              onChange={(v) => v && form.setValue('expires', v as Expiry)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <SubmitButton loading={create.isPending} fullWidth>
              {t('tokens.createButton')}
            </SubmitButton>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
