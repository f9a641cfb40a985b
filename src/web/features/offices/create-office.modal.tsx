import { Button, Group, Modal, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { OfficeCreateInput } from '../../../shared/offices/offices.schemas.ts';
import { useOffices } from '../../app/office-context.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import { browserTimeZone } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { OfficeFields, type OfficeValues } from './office-fields.tsx';
import { useCreateOffice } from './offices.api.ts';

function emptyOffice(): OfficeValues {
  return {
    code: '',
    name: '',
    countries: [],
    timezone: browserTimeZone() ?? 'UTC',
    defaultLanguage: currentLanguage(),
  };
}

export function CreateOfficeModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { offices, select } = useOffices();
  const create = useCreateOffice();
  const form = useZodForm({ schema: OfficeCreateInput, initialValues: emptyOffice() });

  const close = () => {
    onClose();
    create.reset();
    form.reset(emptyOffice());
  };

  const submit = form.handleSubmit((body) => {
    create.mutate(body, {
      onSuccess: (office) => {
        notifications.show({ color: 'teal', message: t('offices.created', { code: office.code }) });
        if (offices.length === 0) select(office.id);
        close();
        void navigate(`/offices/${office.id}`);
      },
      onError: (error) => {
        // 409 on create: the code is taken (also by a deleted office). Say so where the code is typed.
        if (isApiError(error) && error.isConflict) form.setFieldError('code', t('offices.codeTaken'));
        else form.applyServerError(error);
      },
    });
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('offices.new')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate aria-label={t('offices.new')}>
        <Stack gap="md">
          {create.error && (
            <ProblemAlert
              error={create.error}
              fieldErrors={form.unplacedErrors}
              fieldsShown={form.hasServerFieldErrors}
            />
          )}
          <OfficeFields form={form} withCode />
          <Group justify="flex-end" gap="xs" mt="xs">
            <Button variant="default" onClick={close} disabled={create.isPending}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={create.isPending}>{t('offices.create')}</SubmitButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
