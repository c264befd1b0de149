// Renderer entry: starts the live event wiring and mounts the app with its query client.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { queryClient } from './state/query-client';
import { startLiveUpdates } from './state/live';
import './styles.css';
import './styles/goal.css';
import './styles/live.css';
import './styles/shell.css';

startLiveUpdates();

const root = document.getElementById('root');
if (root === null) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
