import { Card, Progress, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, tenantPath, type Usage } from '../api';
import { useI18n } from '../i18n';
import { formatBytes, usedPercent } from '../usage';

/** What the workspace uses of its quotas, read again whenever {@code refresh} changes (after a create or delete). */
export function UsagePanel({ tenantId, refresh }: { tenantId: string; refresh: unknown }) {
  const { t } = useI18n();
  const [usage, setUsage] = useState<Usage | null>(null);
  useEffect(() => {
    api.get<Usage>(tenantPath(tenantId, '/usage'))
      .then(setUsage)
      .catch(() => setUsage(null));
  }, [tenantId, refresh]);
  if (!usage) return null;
  const storage = usedPercent(usage.storageBytes, usage.storageQuotaBytes);
  const programs = usedPercent(usage.miniPrograms, usage.miniProgramQuota);
  return (
    <Card size="small" id="workspace-usage" title={t('usage.title')} style={{ marginBottom: 16 }}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text id="usage-storage">
          {t('usage.storage', { used: formatBytes(usage.storageBytes), quota: formatBytes(usage.storageQuotaBytes) })}
        </Typography.Text>
        <Progress aria-labelledby="usage-storage" percent={storage} status={storage >= 100 ? 'exception' : 'normal'} showInfo={false} />
        <Typography.Text id="usage-mini-programs">
          {t('usage.miniPrograms', { count: usage.miniPrograms, quota: usage.miniProgramQuota })}
        </Typography.Text>
        <Progress aria-labelledby="usage-mini-programs" percent={programs} status={programs >= 100 ? 'exception' : 'normal'} showInfo={false} />
      </Space>
    </Card>
  );
}
