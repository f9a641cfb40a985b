import { Alert, Button, Checkbox, Group, Paper, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getIncidentReportTemplate, putIncidentReportTemplate } from '../../../shared/incidents/reports.contract.ts';
import { REPORT_SECTIONS, type ReportSection } from '../../../shared/incidents/reports.schemas.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { call } from '../../lib/api-client.ts';

/** The office's incident report template: header, footer/classification line and the sections included. */
export function ReportTemplatePage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { current } = useOffices();
  const officeId = current?.id;
  const canEdit = can('incident.manage');
  const queryClient = useQueryClient();
  const key = ['incidents', 'report-template', officeId] as const;
  const template = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => call(getIncidentReportTemplate, { params: { officeId: officeId as string }, signal }),
    enabled: !!officeId,
  });
  const [header, setHeader] = useState('');
  const [footer, setFooter] = useState('');
  const [sections, setSections] = useState<ReportSection[]>([]);
  useEffect(() => {
    if (!template.data) return;
    setHeader(template.data.headerText);
    setFooter(template.data.footerText);
    setSections(template.data.sections);
  }, [template.data]);
  const save = useMutation({
    mutationFn: (version: number) =>
      call(putIncidentReportTemplate, {
        params: { officeId: officeId as string },
        body: {
          headerText: header,
          footerText: footer,
          // Kept in the standard order of the report.
          sections: REPORT_SECTIONS.filter((s) => sections.includes(s)),
          version,
        },
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(key, saved);
      notifications.show({ color: 'teal', message: t('incidents.reportTemplate.saved') });
    },
  });

  return (
    <>
      <PageHeader
        title={t('incidents.reportTemplate.title', { office: current?.code ?? '' })}
        description={t('incidents.reportTemplate.description')}
        breadcrumbs={[
          { label: t('incidents.title'), to: '/incidents' },
          { label: t('incidents.reportTemplate.crumb') },
        ]}
      />
      {template.error ? (
        <ErrorState error={template.error} onRetry={() => void template.refetch()} />
      ) : !template.data ? null : (
        <Paper withBorder radius="md" p="md" maw={760}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (template.data) save.mutate(template.data.version);
            }}
          >
            <Stack gap="md">
              <Text fz="sm" c="dimmed">
                {template.data.isDefault ? t('incidents.reportTemplate.default') : t('incidents.reportTemplate.own')}
              </Text>
              <Textarea
                label={t('incidents.reportTemplate.header')}
                description={t('incidents.reportTemplate.headerHelp')}
                value={header}
                onChange={(e) => setHeader(e.currentTarget.value)}
                maxLength={500}
                autosize
                minRows={2}
                disabled={!canEdit}
              />
              <TextInput
                label={t('incidents.reportTemplate.footer')}
                description={t('incidents.reportTemplate.footerHelp')}
                value={footer}
                onChange={(e) => setFooter(e.currentTarget.value)}
                maxLength={300}
                disabled={!canEdit}
              />
              <Checkbox.Group
                label={t('incidents.reportTemplate.sections')}
                value={sections}
                onChange={(v) => setSections(v as ReportSection[])}
                error={sections.length === 0 ? t('incidents.reportTemplate.atLeastOne') : undefined}
              >
                <Stack gap={6} mt={6}>
                  {REPORT_SECTIONS.map((s) => (
                    <Checkbox
                      key={s}
                      value={s}
                      label={t(`incidents.reportTemplate.sectionNames.${s}`)}
                      disabled={!canEdit}
                    />
                  ))}
                </Stack>
              </Checkbox.Group>
              <ProblemAlert error={save.error} />
              {canEdit ? (
                <Group justify="flex-end">
                  <Button type="submit" loading={save.isPending} disabled={sections.length === 0}>
                    {t('incidents.reportTemplate.save')}
                  </Button>
                </Group>
              ) : (
                <Alert color="gray" variant="light">
                  {t('incidents.reportTemplate.readOnly')}
                </Alert>
              )}
            </Stack>
          </form>
        </Paper>
      )}
    </>
  );
}
