import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { useSiteList } from '../sites/sites.api.ts';
import { loc } from './checklist-text.ts';
import { useStartRun, useTemplates } from './checklists.api.ts';

interface StartRunModalProps {
  officeId: string;
  opened: boolean;
  onClose: () => void;
  templateId?: string | undefined;
}

/** Pick a template (and a site), start the run, open the runner. */
export function StartRunModal(props: StartRunModalProps) {
  if (!props.opened) return null;
  return <StartRunForm {...props} />;
}

function StartRunForm({ officeId, opened, onClose, templateId }: StartRunModalProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const templates = useTemplates(officeId);
  const sites = useSiteList(officeId, { sort: 'name' }, 200);
  const start = useStartRun(officeId);
  const [template, setTemplate] = useState<string | null>(templateId ?? null);
  const [site, setSite] = useState<string | null>(null);
  const [location, setLocation] = useState('');
  const [touched, setTouched] = useState(false);

  const templateOptions = (templates.data?.pages.flatMap((p) => p.items) ?? []).map((x) => ({
    value: x.id,
    label: loc(x.name, x.nameFr),
  }));
  const siteOptions = (sites.data?.pages.flatMap((p) => p.items) ?? []).map((s) => ({ value: s.id, label: s.name }));

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('checklists.start.title')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        noValidate
        aria-label={t('checklists.start.title')}
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!template) return;
          start.mutate(
            { templateId: template, siteId: site, location: location.trim() || null },
            { onSuccess: (run) => navigate(`/inspections/runs/${run.id}`) },
          );
        }}
      >
        <Stack gap="md">
          {start.error && <ProblemAlert error={start.error} />}
          <Select
            label={t('checklists.start.template')}
            required
            searchable
            data-autofocus
            data={templateOptions}
            value={template}
            onChange={setTemplate}
            error={touched && !template ? t('validation.required') : undefined}
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('checklists.start.site')}
            placeholder={t('checklists.start.noSite')}
            clearable
            searchable
            data={siteOptions}
            value={site}
            onChange={setSite}
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label={t('checklists.start.location')}
            description={t('checklists.start.locationHelp')}
            maxLength={500}
            value={location}
            onChange={(e) => setLocation(e.currentTarget.value)}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={start.isPending}>{t('checklists.start.go')}</SubmitButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
