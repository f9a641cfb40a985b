import { Box } from '@mantine/core';
import { useRouteError } from 'react-router';
import { ErrorState } from '../components/error-state.tsx';

/** Whatever a page throws while rendering (or a lazy chunk that failed to load) ends here, not in a blank screen. */
export function RouteError() {
  const error = useRouteError();
  if (error) console.error(error);
  return (
    <Box py="xl">
      <ErrorState error={error} onRetry={() => window.location.reload()} />
    </Box>
  );
}
