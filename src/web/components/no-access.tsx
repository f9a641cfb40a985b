import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from './empty-state.tsx';

/** A page the user's role may not use: says so, instead of a failed request. */
export function NoAccess() {
  const { t } = useTranslation();
  return (
    <EmptyState
      icon={<IconLock size={28} stroke={1.5} aria-hidden />}
      title={t('errors.forbidden')}
      description={t('errors.forbiddenPage')}
    />
  );
}
