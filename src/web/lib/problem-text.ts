import type { TFunction } from 'i18next';
import { isApiError } from './api-client.ts';

export interface ErrorText {
  title: string;
  detail: string | undefined;
  requestId: string | undefined;
}

/**
 * What to tell the user about a failed call, in their language. The server's own detail (English) is
 * kept as a second line when it says something more specific than the status.
 */
export function describeError(error: unknown, t: TFunction): ErrorText {
  if (!isApiError(error)) {
    return { title: t('errors.unexpected'), detail: undefined, requestId: undefined };
  }
  // The request id helps whoever reads the server logs: worth showing when the server failed.
  const requestId = error.status >= 500 ? error.requestId : undefined;
  const detail = error.detail;
  switch (true) {
    case error.status === 0:
      return { title: t('errors.network'), detail: t('errors.networkDetail'), requestId };
    case error.status === 400 || error.status === 422:
      return { title: t('errors.invalid'), detail, requestId };
    case error.status === 401:
      return { title: t('errors.unauthenticated'), detail: undefined, requestId };
    case error.status === 403:
      return { title: t('errors.forbidden'), detail, requestId };
    case error.status === 404:
      return { title: t('errors.notFound'), detail: undefined, requestId };
    case error.status === 409:
      return { title: t('errors.conflict'), detail, requestId };
    case error.status === 429:
      return { title: t('errors.tooMany'), detail, requestId };
    case error.status >= 500:
      return { title: t('errors.server'), detail: undefined, requestId };
    default:
      return { title: error.title, detail, requestId };
  }
}
