import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError, tenantPath, type AuthorizedMerchant, type Industry, type Service } from '../api';
import { describe, isSessionExpired, showFieldErrors } from '../errors';
import { useI18n } from '../i18n';
import { isManager, useCurrentTenant } from '../workspaces';

const SCOPES = ['miniprogram:read', 'miniprogram:write', 'miniprogram:release', 'template:apply'];

/** An ISV's services: what merchants can authorize from the marketplace once the platform approved them. */
export function ServicesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { tenantId } = useParams();
  const tenant = useCurrentTenant();
  const [services, setServices] = useState<Service[]>([]);
  const [industries, setIndustries] = useState<Industry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [merchants, setMerchants] = useState<AuthorizedMerchant[]>([]);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();

  const load = useCallback(() => {
    api.get<Service[]>(tenantPath(tenantId!, '/services')).then(setServices)
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [tenantId, t]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!isManager(tenant)) return;
    api.get<AuthorizedMerchant[]>(tenantPath(tenantId!, '/authorized-merchants')).then(setMerchants)
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [tenantId, tenant, t]);
  useEffect(() => {
    api.get<Industry[]>('/api/v1/industries?q=').then((l) => setIndustries(l.filter((i) => i.selectable))).catch(() => undefined);
  }, []);

  const create = async (values: Record<string, unknown>) => {
    try {
      await api.post(tenantPath(tenantId!, '/services'), values);
      message.success(t('services.created'));
      setOpen(false);
      load();
    } catch (e) {
      if (isSessionExpired(e)) return;
      if (e instanceof ApiError && e.status === 400 && e.errors.length) {
        showFieldErrors(form, e, (p) => ['type', 'name', 'description', 'industries', 'scopes'].includes(p[0]));
      } else {
        message.error(describe(e, t));
      }
    }
  };

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('services.title')}</Typography.Title>
        {isManager(tenant) && <Button type="primary" onClick={() => { form.resetFields(); setOpen(true); }}>{t('services.new')}</Button>}
      </Space>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Table<Service>
        rowKey="id" dataSource={services} pagination={{ pageSize: 10 }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('services.type'), dataIndex: 'type' },
          { title: t('services.scopes'), dataIndex: 'scopes', render: (s: string[]) => s.map((x) => <Tag key={x}>{x}</Tag>) },
          { title: t('common.state'), key: 'state', render: (_, s) => <>{s.state}{s.reason ? ` — ${s.reason}` : ''}</> },
        ]}
      />
      {isManager(tenant) && (
        <>
          <Typography.Title level={4}>{t('services.merchants')}</Typography.Title>
          <Table<AuthorizedMerchant>
            rowKey={(m) => `${m.merchant}/${m.service}/${m.grantedAt}`} dataSource={merchants} pagination={{ pageSize: 10 }}
            columns={[
              { title: t('webhooks.merchant'), key: 'm', render: (_, m) => <>{m.merchantName} <Typography.Text type="secondary">{m.merchant}</Typography.Text></> },
              { title: t('nav.services'), dataIndex: 'serviceName' },
              { title: t('services.scopes'), dataIndex: 'scopes', render: (s: string[]) => s.map((x) => <Tag key={x}>{x}</Tag>) },
              { title: t('common.state'), dataIndex: 'state', render: (s: string) => <Tag color={s === 'ACTIVE' ? 'green' : 'default'}>{s}</Tag> },
              { title: t('authorizations.grantedAt'), dataIndex: 'grantedAt', render: (d: string | null) => (d ? new Date(d).toLocaleString() : '') },
            ]}
          />
        </>
      )}
      <Modal open={open} title={t('services.new')} onCancel={() => setOpen(false)} onOk={() => form.submit()} destroyOnHidden>
        <Form form={form} name="service" layout="vertical" onFinish={create} initialValues={{ type: 'DEVELOPMENT', scopes: ['miniprogram:read'] }}>
          <Form.Item name="type" label={t('services.type')}>
            <Select options={['DEVELOPMENT', 'TEMPLATE'].map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, message: t('rule.required') }]}><Input /></Form.Item>
          <Form.Item name="description" label={t('mp.description')} rules={[{ required: true, message: t('rule.required') }]}><Input.TextArea rows={3} /></Form.Item>
          <Form.Item name="industries" label={t('services.industries')} rules={[{ required: true, message: t('rule.required') }]}>
            <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }}
                    options={industries.map((i) => ({ value: i.code, label: lang === 'zh' ? i.nameZh : i.name }))} />
          </Form.Item>
          <Form.Item name="scopes" label={t('services.scopes')}>
            <Select mode="multiple" options={SCOPES.map((s) => ({ value: s, label: s }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
