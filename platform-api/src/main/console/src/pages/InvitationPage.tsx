import { Alert, Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import { currentUser, logout } from '../auth';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../Shell';
import { useWorkspaces } from '../workspaces';

const KEY = 'console.invitation';

/**
 * The mail links to /console/invitations#token=…: the fragment never reaches a server or a Referer. Before the
 * login redirect the token moves into this tab's session storage (and out of the address bar), so it survives
 * the trip through Keycloak; it is removed once used.
 */
export function keepInvitationToken(): void {
  if (!window.location.pathname.startsWith('/console/invitations')) return;
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (token) {
    window.sessionStorage.setItem(KEY, token);
    window.history.replaceState(null, '', window.location.pathname);
  }
}

interface Accepted {
  tenantId: string;
  name?: string;
  role?: string;
  [key: string]: unknown;
}

export function InvitationPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { reload } = useWorkspaces();
  const [token] = useState(() => window.sessionStorage.getItem(KEY));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const user = currentUser();

  const accept = async () => {
    setError(null);
    setBusy(true);
    try {
      const accepted = await api.post<Accepted>('/api/v1/invitations/accept', { token });
      window.sessionStorage.removeItem(KEY);
      await reload();
      navigate(`/w/${accepted.tenantId}/mini-programs`);
    } catch (e) {
      if (!isSessionExpired(e)) setError(t('invitation.failed', { reason: describe(e, t) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 560, margin: '48px auto', padding: 16 }}>
      <header>
        <Space style={{ width: '100%', justifyContent: 'flex-end', marginBottom: 16 }}>
          <LanguageSwitch />
          <Button onClick={() => void logout()}>{t('app.logout')}</Button>
        </Space>
      </header>
      <main>
        <Card>
          <Typography.Title level={2}>{t('invitation.title')}</Typography.Title>
          {!token ? <Alert type="warning" showIcon title={t('invitation.missing')} /> : (
            <>
              <Typography.Paragraph>{t('invitation.intro', { user: `${user.name} <${user.email}>` })}</Typography.Paragraph>
              {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
              <Button type="primary" id="accept-invitation" loading={busy} onClick={accept}>{t('invitation.accept')}</Button>
            </>
          )}
        </Card>
      </main>
    </div>
  );
}
