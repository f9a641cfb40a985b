import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { AdminTabs } from '../admin/admin-tabs.tsx';
import { DeliveriesSection } from './deliveries.section.tsx';
import { JobsSection } from './jobs.section.tsx';
import { SmtpSection } from './smtp.section.tsx';
import { WebhooksSection } from './webhooks.section.tsx';

/** Administration → integrations: outgoing e-mail, webhooks, the delivery log, scheduled jobs. */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const allowed = can('integration.manage');
  return (
    <>
      <PageHeader
        title={t('integrations.title')}
        description={t('integrations.description')}
        breadcrumbs={[{ label: t('modules.admin.name'), to: '/admin' }, { label: t('integrations.title') }]}
      />
      <AdminTabs current="integrations">
        {!allowed ? (
          <NoAccess />
        ) : (
          <Stack gap="md">
            <SmtpSection />
            <WebhooksSection />
            <DeliveriesSection />
            <JobsSection />
          </Stack>
        )}
      </AdminTabs>
    </>
  );
}
