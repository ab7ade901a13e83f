import { Alert, App, Button, Checkbox, Form, Input, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Wallet } from '../api';
import { describe, isSessionExpired, showFieldErrors } from '../errors';
import { useI18n } from '../i18n';

/** Platform admins register wallets (super apps): release targets and API clients. */
export function WalletsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [wallets, setWallets] = useState<Wallet[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // every registered wallet, 10 a page: an operator finds one by name
  const [search, setSearch] = useState('');
  const shown = search.trim() === '' ? wallets
    : wallets.filter((w) => w.name.toLowerCase().includes(search.trim().toLowerCase()));
  const [form] = Form.useForm<{ name: string; sandboxReview: boolean }>();

  const load = useCallback(() => {
    api.get<Wallet[]>('/api/v1/admin/wallets').then(setWallets)
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [t]);
  useEffect(load, [load]);

  const register = async (values: { name: string; sandboxReview: boolean }) => {
    try {
      const wallet = await api.post<Wallet>('/api/v1/admin/wallets', { name: values.name, sandboxReview: !!values.sandboxReview });
      setSecret(wallet.clientSecret ?? null);
      message.success(t('common.saved'));
      form.resetFields();
      load();
    } catch (e) {
      if (isSessionExpired(e)) return;
      if (e instanceof ApiError && e.status === 400 && e.errors.length) showFieldErrors(form, e, (p) => ['name', 'sandboxReview'].includes(p[0]));
      else message.error(describe(e, t));
    }
  };

  return (
    <>
      <Typography.Title level={3}>{t('wallets.title')}</Typography.Title>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} name="wallet" layout="inline" onFinish={register} style={{ marginBottom: 16 }}>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('rule.required') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="sandboxReview" valuePropName="checked">
          <Checkbox>{t('wallets.sandboxReview')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit">{t('wallets.register')}</Button>
      </Form>
      {secret && <Alert type="warning" showIcon closable onClose={() => setSecret(null)} style={{ marginBottom: 16 }}
                        title={<Space><span>{t('wallets.secretOnce', { secret: '' })}</span><Typography.Text code copyable>{secret}</Typography.Text></Space>} />}
      <Input id="wallets-search" allowClear placeholder={t('wallets.search')} aria-label={t('wallets.search')}
             value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 280, marginBottom: 16 }} />
      <Table<Wallet>
        rowKey="id" dataSource={shown} pagination={{ pageSize: 10 }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: 'ID', dataIndex: 'id' },
          { title: t('wallets.clientId'), dataIndex: 'clientId' },
          { title: t('wallets.sandboxReview'), dataIndex: 'sandboxReview', render: (b: boolean) => (b ? t('common.yes') : t('common.no')) },
        ]}
      />
    </>
  );
}
