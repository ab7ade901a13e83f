import { Alert, Spin, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, tenantPath, type MiniProgram } from '../api';
import { displayName } from '../components/InviteForm';
import { MiniProgramForm } from '../components/MiniProgramForm';
import { VersionsPanel } from '../components/VersionsPanel';
import { DomainsPanel } from '../components/DomainsPanel';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';

export function MiniProgramEditPage() {
  const { t } = useI18n();
  const { tenantId, appId } = useParams();
  const navigate = useNavigate();
  const [program, setProgram] = useState<MiniProgram | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    if (!appId) return;
    api.get<MiniProgram>(tenantPath(tenantId!, `/mini-programs/${appId}`))
      .then(setProgram)
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [tenantId, appId, t]);
  useEffect(load, [load]);

  if (!appId) {
    return (
      <>
        <Typography.Title level={3}>{t('mp.new')}</Typography.Title>
        <MiniProgramForm tenantId={tenantId!} submitLabel={t('common.create')}
                         onSaved={(p) => navigate(`/w/${tenantId}/mini-programs/${p.appId}`)} />
      </>
    );
  }
  if (error) return <Alert type="error" showIcon title={error} role="alert" />;
  if (!program) return <Spin />;
  return (
    <>
      <Typography.Title level={3}>{displayName(program)} <Typography.Text type="secondary" copyable>{program.appId}</Typography.Text></Typography.Title>
      <Tabs items={[
        {
          key: 'details', label: t('mp.details'),
          children: <MiniProgramForm key={program.revision} tenantId={tenantId!} existing={program} submitLabel={t('common.save')} onSaved={setProgram} />,
        },
        { key: 'versions', label: t('mp.versions'), children: <VersionsPanel tenantId={tenantId!} appId={program.appId} /> },
        { key: 'domains', label: t('domains.tab'), children: <DomainsPanel tenantId={tenantId!} appId={program.appId} /> },
      ]} />
    </>
  );
}
