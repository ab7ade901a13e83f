import { Alert, App, Button, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, tenantPath, type Industry, type MiniProgram, type Page } from '../api';
import { Confirm } from '../components/Confirm';
import { displayName } from '../components/InviteForm';
import { UsagePanel } from '../components/UsagePanel';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';
import { isManager, useCurrentTenant } from '../workspaces';

const PAGE_SIZE = 10;

export function MiniProgramsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { tenantId } = useParams();
  const tenant = useCurrentTenant();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<MiniProgram> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [industries, setIndustries] = useState<Record<string, Industry>>({});
  const { lang } = useI18n();
  useEffect(() => {
    api.get<Industry[]>('/api/v1/industries?q=')
      .then((list) => setIndustries(Object.fromEntries(list.map((i) => [i.code, i]))))
      .catch(() => undefined);
  }, []);
  const industryName = (code: string) => {
    const industry = industries[code];
    return industry ? (lang === 'zh' ? industry.nameZh : industry.name) : code;
  };

  const load = useCallback(() => {
    api.get<Page<MiniProgram>>(tenantPath(tenantId!, `/mini-programs?page=${page - 1}&size=${PAGE_SIZE}`))
      .then((p) => { setData(p); setError(null); })
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [tenantId, page, t]);
  useEffect(load, [load]);

  const remove = async (program: MiniProgram) => {
    try {
      await api.del(tenantPath(tenantId!, `/mini-programs/${program.appId}`));
      message.success(t('mp.deleted'));
      load();
    } catch (e) {
      if (!isSessionExpired(e)) message.error(describe(e, t));
    }
  };

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('nav.miniPrograms')}</Typography.Title>
        {isManager(tenant) && (
          <Button type="primary" id="create-mini-program" onClick={() => navigate(`/w/${tenantId}/mini-programs/new`)}>{t('mp.create')}</Button>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <UsagePanel tenantId={tenantId!} refresh={data} />
      <Table<MiniProgram>
        rowKey="appId"
        id="mini-program-table"
        loading={!data && !error}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('mp.empty') }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('mp.name'), key: 'name', render: (_, p) => <Link to={`/w/${tenantId}/mini-programs/${p.appId}`}>{displayName(p)}</Link> },
          { title: t('mp.appId'), dataIndex: 'appId' },
          { title: t('mp.industry'), dataIndex: 'industry', render: (code: string) => industryName(code) },
          { title: t('mp.defaultLanguage'), dataIndex: 'defaultLanguage' },
          {
            title: t('common.actions'), key: 'actions', render: (_, p) => (
              <Space>
                <Button size="small" onClick={() => navigate(`/w/${tenantId}/mini-programs/${p.appId}`)}>{t('common.edit')}</Button>
                <Button size="small" className="open-preview" onClick={() => navigate(`/w/${tenantId}/mini-programs/${p.appId}/preview`)}>{t('preview.open')}</Button>
                {isManager(tenant) && (
                  <Confirm title={t('mp.deleteConfirm', { name: displayName(p) })} okText={t('common.yes')} cancelText={t('common.no')} onConfirm={() => remove(p)}>
                    <Button size="small" danger>{t('common.delete')}</Button>
                  </Confirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
