import { useQuery } from '@tanstack/react-query';
import { ssoInfo, ssoStart } from '../../../shared/sso/sso.contract.ts';
import { buildQuery, call } from '../../lib/api-client.ts';
import { schemaOf } from '../../lib/validation.ts';

/** Whether single sign-on is configured, and the label of its button. */
export function useSsoInfo() {
  return useQuery({
    queryKey: ['sso', 'info'],
    queryFn: ({ signal }) => call(ssoInfo, { signal }),
    staleTime: 10 * 60_000,
    retry: false,
  });
}

/**
 * Where the single sign-on button leads: a plain navigation (the server redirects to the identity
 * provider), never a fetch. `returnTo` is dropped when the server would refuse it.
 */
export function ssoStartUrl(returnTo: string): string {
  const query = schemaOf(ssoStart, 'query').safeParse({ returnTo });
  return ssoStart.path + buildQuery(query.success ? query.data : {});
}
