import { Alert, Input, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, tenantPath, type AuditEvent, type Page } from '../api';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';

const PAGE_SIZE = 20;

export function AuditPage() {
  const { t } = useI18n();
  const { tenantId } = useParams();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<AuditEvent> | null>(null);
  const [filter, setFilter] = useState('');
  const [family, setFamily] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const action = family ? `&action=${encodeURIComponent(family)}` : '';
    api.get<Page<AuditEvent>>(tenantPath(tenantId!, `/audit-events?page=${page - 1}&size=${PAGE_SIZE}${action}`))
      .then(setData)
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [tenantId, page, family, t]);

  const needle = filter.trim().toLowerCase();
  const rows = (data?.items ?? []).filter((e) => !needle
    || [e.action, e.actor, e.targetType, e.targetId].some((v) => v?.toLowerCase().includes(needle)));

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('audit.title')}</Typography.Title>
        <Space>
        <Select id="audit-family" aria-label={t('audit.action')} style={{ width: 200 }} value={family}
                onChange={(v: string) => { setFamily(v); setPage(1); }}
                options={[{ value: '', label: t('common.all') },
                  ...['mini-program.', 'member.', 'invitation.', 'version.', 'release.', 'authorization.', 'service.', 'tenant.']
                    .map((f) => ({ value: f, label: f.slice(0, -1) }))]} />
        <Input.Search allowClear placeholder={t('audit.search')} aria-label={t('audit.search')} id="audit-filter"
                      style={{ width: 320 }} onChange={(e) => setFilter(e.target.value)} />
        </Space>
      </Space>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Table<AuditEvent>
        rowKey="id" id="audit-table" dataSource={rows} loading={!data && !error}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        expandable={{ expandedRowRender: (e) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre> }}
        columns={[
          { title: t('audit.when'), dataIndex: 'occurredAt', render: (d: string) => new Date(d).toLocaleString() },
          { title: t('audit.actor'), dataIndex: 'actor' },
          { title: t('audit.action'), dataIndex: 'action' },
          { title: t('audit.target'), key: 'target', render: (_, e) => `${e.targetType} ${e.targetId}` },
        ]}
      />
    </>
  );
}
