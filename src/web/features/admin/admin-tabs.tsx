import { Tabs } from '@mantine/core';
import { IconListDetails, IconPlugConnected, IconShieldLock, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../../app/session.tsx';

export type AdminTab = 'overview' | 'audit' | 'security' | 'integrations';
const PATHS: Record<AdminTab, string> = {
  overview: '/admin',
  audit: '/admin/audit',
  security: '/admin/security',
  integrations: '/admin/integrations',
};

/**
 * The pages of Administration, as tabs with their own URL; each shown to the roles that may use it. The
 * page's content is the current tab's panel (the others stay empty: each tab is a page of its own).
 */
export function AdminTabs({ current, children }: { current: AdminTab; children: ReactNode }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const shown: AdminTab[] = [
    'overview',
    ...(can('audit.read') ? (['audit'] as const) : []),
    ...(can('policy.manage') ? (['security'] as const) : []),
    ...(can('integration.manage') ? (['integrations'] as const) : []),
  ];
  return (
    <Tabs value={current} onChange={(v) => v && void navigate(PATHS[v as AdminTab])} keepMounted>
      <Tabs.List mb="md">
        <Tabs.Tab value="overview" leftSection={<IconUsers size={16} aria-hidden />}>
          {t('admin.tabs.overview')}
        </Tabs.Tab>
        {can('audit.read') && (
          <Tabs.Tab value="audit" leftSection={<IconListDetails size={16} aria-hidden />}>
            {t('admin.tabs.audit')}
          </Tabs.Tab>
        )}
        {can('policy.manage') && (
          <Tabs.Tab value="security" leftSection={<IconShieldLock size={16} aria-hidden />}>
            {t('admin.tabs.security')}
          </Tabs.Tab>
        )}
        {can('integration.manage') && (
          <Tabs.Tab value="integrations" leftSection={<IconPlugConnected size={16} aria-hidden />}>
            {t('integrations.tab')}
          </Tabs.Tab>
        )}
      </Tabs.List>
      {shown.map((tab) => (
        <Tabs.Panel key={tab} value={tab}>
          {tab === current ? children : null}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
