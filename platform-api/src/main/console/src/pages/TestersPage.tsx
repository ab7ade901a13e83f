import { Alert, App, Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError, tenantPath, type Wallet } from '../api';
import { currentUser } from '../auth';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';
import { Confirm } from '../components/Confirm';
import { type TesterAccount, type WorkspaceTester } from '../preview';
import { isManager, useWorkspaces } from '../workspaces';

/** My tester accounts in this workspace (bind, unbind), and everyone's for owners and masters. */
export function TestersPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { tenantId } = useParams();
  const { tenants } = useWorkspaces();
  const manager = isManager(tenants.find((x) => x.id === tenantId));
  const [form] = Form.useForm<{ wallet: string; userId: string }>();
  const [accounts, setAccounts] = useState<TesterAccount[]>([]);
  const [everyone, setEveryone] = useState<WorkspaceTester[]>([]);
  const [wallets, setWallets] = useState<Wallet[]>([]);
  const [error, setError] = useState<string | null>(null);
  const mine = tenantPath(tenantId!, '/members/me/testers');
  const me = currentUser();

  const load = useCallback(() => {
    api.get<{ accounts: TesterAccount[] }>(mine)
      .then((r) => { setAccounts(r.accounts); setError(null); })
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
    if (manager) api.get<WorkspaceTester[]>(tenantPath(tenantId!, '/testers')).then(setEveryone).catch(() => undefined);
  }, [mine, manager, tenantId, t]);
  useEffect(load, [load]);
  useEffect(() => {
    api.get<Wallet[]>('/api/v1/wallets').then(setWallets).catch(() => undefined);
  }, []);
  const walletName = (id: string) => wallets.find((w) => w.id === id)?.name ?? id;

  const save = async (next: TesterAccount[]) => {
    try {
      const r = await api.put<{ accounts: TesterAccount[] }>(mine, { accounts: next.map(({ wallet, userId }) => ({ wallet, userId })) });
      setAccounts(r.accounts);
      message.success(t('common.saved'));
      form.resetFields(['userId']);
      load();
    } catch (e) {
      if (isSessionExpired(e)) return;
      if (e instanceof ApiError && e.status === 400 && e.errors.length) {
        // the new entry is the last one sent: its errors go to the form, others are shown as they are
        const last = `accounts[${next.length - 1}]`;
        form.setFields([
          { name: 'wallet', errors: e.errors.filter((x) => x.field === `${last}.wallet`).map((x) => x.message) },
          { name: 'userId', errors: e.errors.filter((x) => x.field === `${last}.userId` || x.field === last).map((x) => x.message) },
        ]);
      } else {
        message.error(describe(e, t));
      }
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('testers.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('testers.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Form form={form} layout="inline" id="tester-form" onFinish={(v) => save([...accounts, { wallet: v.wallet, userId: v.userId }])}>
        <Form.Item name="wallet" label={t('testers.wallet')} htmlFor="tester-wallet" rules={[{ required: true, message: t('testers.walletRequired') }]}>
          <Select id="tester-wallet" style={{ minWidth: 220 }} showSearch={{ optionFilterProp: 'label' }} options={wallets.map((w) => ({ value: w.id, label: w.name }))} />
        </Form.Item>
        <Form.Item name="userId" label={t('testers.userId')} htmlFor="tester-user-id" rules={[{ required: true, message: t('testers.userIdRequired') }]}>
          <Input id="tester-user-id" maxLength={128} style={{ minWidth: 220 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" id="bind-tester">{t('testers.bind')}</Button>
        </Form.Item>
      </Form>
      <Table<TesterAccount>
        rowKey={(a) => `${a.wallet}/${a.userId}`} id="testers-table" dataSource={accounts} pagination={false}
        locale={{ emptyText: t('testers.none') }}
        columns={[
          { title: t('testers.wallet'), key: 'wallet', render: (_, a) => walletName(a.wallet) },
          { title: t('testers.userId'), dataIndex: 'userId' },
          {
            title: t('common.actions'), key: 'a', render: (_, a) => (
              <Confirm title={t('common.confirm')} onConfirm={() => save(accounts.filter((x) => x !== a))}>
                <Button size="small" danger aria-label={t('testers.unbindOne', { userId: a.userId })}>{t('testers.unbind')}</Button>
              </Confirm>
            ),
          },
        ]}
      />
      {manager && (
        <>
          <Typography.Title level={4}>{t('testers.everyone')}</Typography.Title>
          <Table<WorkspaceTester>
            rowKey={(a) => `${a.member}/${a.wallet}/${a.userId}`} id="workspace-testers-table" dataSource={everyone}
            pagination={{ pageSize: 20 }} locale={{ emptyText: t('testers.none') }}
            columns={[
              { title: t('testers.member'), key: 'member', render: (_, a) => (a.member === me.id ? `${a.memberName || me.name} ${t('members.you')}` : a.memberName || a.member) },
              { title: t('testers.wallet'), key: 'wallet', render: (_, a) => walletName(a.wallet) },
              { title: t('testers.userId'), dataIndex: 'userId' },
            ]}
          />
        </>
      )}
    </Space>
  );
}
