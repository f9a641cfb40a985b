import { ActionIcon, Box, Kbd, Text, UnstyledButton } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.tsx';
import classes from './search.module.css';

// The dialog loads when first opened: the first screen stays small.
const SearchDialog = lazy(() => import('./search-dialog.tsx').then((m) => ({ default: m.SearchDialog })));

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/**
 * The header's search: a box on wide screens, an icon on a phone; `/` or Ctrl/⌘+K opens the search dialog
 * from anywhere (but `/` not while typing in a field).
 */
export function SearchLauncher() {
  const { t } = useTranslation();
  const { can } = useSession();
  const allowed = can('search.use');
  const [opened, setOpened] = useState(false);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    if (!allowed) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const modK = (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k';
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typingInField(e.target);
      if (modK || slash) {
        e.preventDefault();
        setLoaded(true);
        setOpened(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [allowed]);

  if (!allowed) return null;
  const open = () => {
    setLoaded(true);
    setOpened(true);
  };
  const shortcut = isMac ? '⌘K' : 'Ctrl+K';
  const label = t('search.open');

  return (
    <>
      <Box visibleFrom="sm">
        <UnstyledButton
          className={classes.box}
          onClick={open}
          aria-label={label}
          aria-haspopup="dialog"
          aria-keyshortcuts="/ Control+K Meta+K"
          title={t('search.shortcutHint', { shortcut })}
        >
          <IconSearch size={16} aria-hidden />
          <Text component="span" fz="sm" c="dimmed" style={{ flex: 1 }} truncate>
            {t('search.placeholder')}
          </Text>
          <Kbd size="xs" aria-hidden>
            /
          </Kbd>
        </UnstyledButton>
      </Box>
      <ActionIcon
        hiddenFrom="sm"
        variant="subtle"
        color="gray"
        size="lg"
        onClick={open}
        aria-label={label}
        aria-haspopup="dialog"
      >
        <IconSearch size={18} aria-hidden />
      </ActionIcon>
      {loaded && (
        <Suspense fallback={null}>
          <SearchDialog opened={opened} onClose={() => setOpened(false)} shortcut={shortcut} />
        </Suspense>
      )}
    </>
  );
}
