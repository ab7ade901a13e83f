import { Alert, App, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, tenantPath, type Authorization, type Page, type Service } from '../api';
import { Confirm } from '../components/Confirm';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';
import { isManager, useCurrentTenant } from '../workspaces';

/** A merchant's authorized ISVs: authorize a marketplace service (Keycloak consent), revoke at any time. */
export function AuthorizationsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { tenantId } = useParams();
  const tenant = useCurrentTenant();
  const [items, setItems] = useState<Authorization[]>([]);
  const [market, setMarket] = useState<Service[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.get<Authorization[]>(tenantPath(tenantId!, '/authorizations')).then(setItems)
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [tenantId, t]);
  useEffect(load, [load]);
  const search = (q: string) => {
    api.get<Page<Service>>(`/api/v1/marketplace/services?size=20&q=${encodeURIComponent(q)}`).then((p) => setMarket(p.items)).catch(() => undefined);
  };
  useEffect(() => search(''), []);

  const authorize = async () => {
    try {
      const created = await api.post<Authorization>(tenantPath(tenantId!, '/authorizations'), { serviceId: chosen });
      if (created.authorizeUrl) window.location.assign(created.authorizeUrl);
    } catch (e) {
      if (!isSessionExpired(e)) message.error(describe(e, t));
    }
  };
  const revoke = async (a: Authorization) => {
    try {
      await api.del(tenantPath(tenantId!, `/authorizations/${a.id}`));
      message.success(t('authorizations.revoked'));
      load();
    } catch (e) {
      if (!isSessionExpired(e)) message.error(describe(e, t));
    }
  };

  return (
    <>
      <Typography.Title level={3}>{t('authorizations.title')}</Typography.Title>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      {isManager(tenant) && (
        <Space style={{ marginBottom: 16 }}>
          <Select showSearch={{ filterOption: false, onSearch: search }} style={{ width: 360 }} placeholder={t('authorizations.serviceSearch')}
                  aria-label={t('authorizations.serviceSearch')} value={chosen} onChange={setChosen}
                  options={market.map((s) => ({ value: s.id, label: `${s.name} · ${s.isv}` }))} />
          <Button type="primary" disabled={!chosen} onClick={authorize}>{t('authorizations.consent')}</Button>
        </Space>
      )}
      <Table<Authorization>
        rowKey="id" dataSource={items} pagination={{ pageSize: 10 }}
        columns={[
          { title: t('authorizations.isv'), key: 'isv', render: (_, a) => a.isvName ?? a.isv },
          { title: t('authorizations.scopes'), dataIndex: 'scopes', render: (s: string[]) => s.map((x) => <Tag key={x}>{x}</Tag>) },
          { title: t('common.state'), dataIndex: 'state' },
          { title: t('authorizations.grantedAt'), dataIndex: 'grantedAt', render: (d?: string) => (d ? new Date(d).toLocaleString() : '') },
          {
            title: t('common.actions'), key: 'a', render: (_, a) => isManager(tenant) && (a.state === 'ACTIVE' || a.state === 'PENDING_CONSENT') && (
              <Confirm title={t('authorizations.revokeConfirm', { isv: a.isvName ?? a.isv })} onConfirm={() => revoke(a)}>
                <Button size="small" danger>{t('authorizations.revoke')}</Button>
              </Confirm>
            ),
          },
        ]}
      />
    </>
  );
}
