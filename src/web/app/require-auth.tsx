import { Skeleton, Stack } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigation, useSearchParams } from 'react-router';
import { AuthFrame } from '../components/auth-frame.tsx';
import { ErrorState } from '../components/error-state.tsx';
import { useMe } from '../features/auth/auth.api.ts';
import i18n, { storedLanguage } from '../lib/i18n.ts';
import { SessionProvider } from './session.tsx';

export function SessionSkeleton() {
  const { t } = useTranslation();
  return (
    <AuthFrame>
      <Stack gap="sm" aria-busy="true" aria-label={t('common.loading')}>
        <Skeleton height={18} width="50%" />
        <Skeleton height={34} />
        <Skeleton height={34} />
        <Skeleton height={34} width={120} />
      </Stack>
    </AuthFrame>
  );
}

/** Where to go back to after signing in: only paths inside this app. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (['/login', '/change-password', '/mfa/setup'].some((p) => next.startsWith(p))) return '/';
  return next;
}

/**
 * The gate of the signed-in part: loads the session, sends strangers to /login (remembering where they
 * were) and users with a one-time password to /change-password before anything else.
 */
export function RequireAuth() {
  const meQuery = useMe();
  const location = useLocation();
  const [search] = useSearchParams();
  const navigation = useNavigation();
  const me = meQuery.data;

  // Use the language of the user's profile unless one was chosen on this device.
  useEffect(() => {
    if (me?.language && !storedLanguage() && i18n.language !== me.language) void i18n.changeLanguage(me.language);
  }, [me?.language]);

  if (meQuery.isPending) return <SessionSkeleton />;
  if (meQuery.isError) {
    return (
      <AuthFrame>
        <ErrorState error={meQuery.error} onRetry={() => void meQuery.refetch()} retrying={meQuery.isFetching} />
      </AuthFrame>
    );
  }
  const here = location.pathname + location.search;
  if (!me) {
    // Signing out goes to /login by itself: while that navigation is under way (the sign-in page may still be
    // loading), do not send the user there a second time with this page as the place to come back to.
    if (navigation.state !== 'idle') return <SessionSkeleton />;
    return <Navigate to={here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`} replace />;
  }
  // Steps the server insists on before anything else, in order: second factor, own password, enrolling in MFA.
  const step = me.mfaPending
    ? '/login/verify'
    : me.mustChangePassword
      ? '/change-password'
      : me.mfaEnrollmentRequired
        ? '/mfa/setup'
        : undefined;
  if (step && location.pathname !== step) {
    const back = safeNext(search.get('next') ?? here);
    return <Navigate to={`${step}?next=${encodeURIComponent(back)}`} replace />;
  }
  return (
    <SessionProvider me={me}>
      <Outlet />
    </SessionProvider>
  );
}
