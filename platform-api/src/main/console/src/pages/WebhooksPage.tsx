import { Alert, App, Button, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, tenantPath, type Page, type WebhookDelivery } from '../api';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';

const PAGE_SIZE = 20;

export function WebhooksPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { tenantId } = useParams();
  const [state, setState] = useState('ALL');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<WebhookDelivery> | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    const filter = state === 'ALL' ? '' : `&state=${state}`;
    api.get<Page<WebhookDelivery>>(tenantPath(tenantId!, `/webhook-deliveries?page=${page - 1}&size=${PAGE_SIZE}${filter}`))
      .then(setData)
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [tenantId, page, state, t]);
  useEffect(load, [load]);

  const replay = async (d: WebhookDelivery) => {
    try {
      await api.post(tenantPath(tenantId!, `/webhook-deliveries/${d.id}/replay`));
      message.success(t('webhooks.replayed'));
      load();
    } catch (e) {
      if (!isSessionExpired(e)) message.error(describe(e, t));
    }
  };

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('webhooks.title')}</Typography.Title>
        <Segmented value={state} onChange={(v) => { setState(String(v)); setPage(1); }} options={['ALL', 'PENDING', 'DELIVERED', 'FAILED']} />
      </Space>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Table<WebhookDelivery>
        rowKey="id" dataSource={data?.items ?? []}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('audit.when'), dataIndex: 'occurredAt', render: (d: string) => new Date(d).toLocaleString() },
          { title: t('webhooks.type'), dataIndex: 'type' },
          { title: t('webhooks.merchant'), dataIndex: 'merchant' },
          { title: t('common.state'), dataIndex: 'state', render: (s: string) => <Tag color={s === 'DELIVERED' ? 'green' : s === 'FAILED' ? 'red' : 'gold'}>{s}</Tag> },
          { title: t('webhooks.attempts'), dataIndex: 'attempts' },
          { title: t('webhooks.lastStatus'), key: 'last', render: (_, d) => d.lastStatus ?? d.lastError ?? '' },
          { title: t('common.actions'), key: 'a', render: (_, d) => <Button size="small" onClick={() => replay(d)}>{t('webhooks.replay')}</Button> },
        ]}
      />
    </>
  );
}
