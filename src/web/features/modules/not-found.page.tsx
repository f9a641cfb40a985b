import { Button } from '@mantine/core';
import { IconFileSearch, IconHome } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../components/empty-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <EmptyState
        icon={<IconFileSearch size={28} stroke={1.5} aria-hidden />}
        title={t('notFound.title')}
        description={t('notFound.text')}
        action={
          <Button component={Link} to="/" leftSection={<IconHome size={16} aria-hidden />}>
            {t('notFound.home')}
          </Button>
        }
      />
    </>
  );
}
