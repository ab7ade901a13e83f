import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startAuth, type ConsoleConfig } from './auth';
import { Root } from './Root';
import './console.css';
import { keepInvitationToken } from './pages/InvitationPage';

async function boot() {
  // The invitation token arrives in the link's fragment; keep it across the login redirect, out of the URL.
  keepInvitationToken();
  const config: ConsoleConfig = await (await fetch('/console/config.json')).json();
  await startAuth(config);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
}

void boot();
