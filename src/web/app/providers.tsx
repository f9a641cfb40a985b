import { localStorageColorSchemeManager, MantineProvider, mergeThemeOverrides } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ComponentProps, type ComponentType, type ReactNode, useEffect, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { meKey } from '../features/auth/auth.api.ts';
import { isApiError } from '../lib/api-client.ts';
import i18n from '../lib/i18n.ts';
import { cssVariablesResolver, theme } from './theme.ts';

type ToastsContainer = ComponentType<ComponentProps<typeof import('./toasts.tsx').Notifications>>;

/**
 * The toasts' container (and its transitions) loads after the first screen: `notifications.show` only needs the
 * store, and toasts shown before the container arrives appear when it mounts. Should its chunk fail to load, the
 * app goes on without toasts rather than failing as a whole.
 */
function Toasts() {
  const [Container, setContainer] = useState<ToastsContainer>();
  useEffect(() => {
    import('./toasts.tsx').then(
      (m) => setContainer(() => m.Notifications),
      () => {},
    );
  }, []);
  return Container ? <Container position="bottom-right" limit={4} /> : null;
}

const colorSchemeManager = localStorageColorSchemeManager({ key: 'outpost.color-scheme' });

function isMeQuery(key: readonly unknown[]): boolean {
  return key[0] === meKey[0] && key[1] === meKey[1];
}

/**
 * A session that ended (401) sends the user to sign in; a 403 may mean a password change is now due.
 * A refused sign-in attempt (`meta.signInAttempt`, e.g. a passkey) says nothing about the session.
 */
function onApiError(error: unknown, key: readonly unknown[] | undefined, meta?: Record<string, unknown>): void {
  if (!isApiError(error) || (key && isMeQuery(key)) || meta?.signInAttempt) return;
  if (error.status === 401) queryClient.setQueryData(meKey, null);
  if (error.status === 403) void queryClient.invalidateQueries({ queryKey: meKey });
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => onApiError(error, query.queryKey) }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _context, mutation) => onApiError(error, undefined, mutation.meta),
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // Retry what may pass next time (network, 5xx); a 4xx will not change by asking again.
      retry: (count, error) => count < 2 && (!isApiError(error) || error.status === 0 || error.status >= 500),
    },
    mutations: { retry: false },
  },
});

/** Mantine with the theme, plus the words Mantine's own controls need (the toasts' close button), in the UI language. */
function LocalizedMantine({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const localized = useMemo(
    () =>
      mergeThemeOverrides(theme, {
        components: { Notification: { defaultProps: { closeButtonProps: { 'aria-label': t('common.close') } } } },
      }),
    [t],
  );
  return (
    <MantineProvider
      theme={localized}
      cssVariablesResolver={cssVariablesResolver}
      colorSchemeManager={colorSchemeManager}
      defaultColorScheme="auto"
    >
      <Toasts />
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}

export function Providers({ children }: { children: ReactNode }) {
  return (
    <I18nextProvider i18n={i18n}>
      <LocalizedMantine>{children}</LocalizedMantine>
    </I18nextProvider>
  );
}
