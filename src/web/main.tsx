import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { Providers, queryClient } from './app/providers.tsx';
import { router } from './app/router.tsx';
import { meQuery } from './features/auth/auth.api.ts';
import { i18nReady } from './lib/i18n.ts';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

function render() {
  root.render(
    <StrictMode>
      <Providers>
        <RouterProvider router={router} />
      </Providers>
    </StrictMode>,
  );
}

// The session check does not need the UI language: it starts at once (the router is already loading the
// first page's chunk).
void queryClient.prefetchQuery(meQuery);
// The UI language's strings come in their own chunk; a failed fetch still renders (keys instead of words).
void i18nReady.then(render, render);
