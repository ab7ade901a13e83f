import { Alert, App, Button, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, tenantPath, type Invitation, type Member, type MiniProgram, type Page } from '../api';
import { currentUser } from '../auth';
import { Confirm } from '../components/Confirm';
import { displayName, InviteForm } from '../components/InviteForm';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';

export function MembersPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { tenantId } = useParams();
  const [members, setMembers] = useState<Member[]>([]);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [programs, setPrograms] = useState<MiniProgram[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const me = currentUser();

  const load = useCallback(() => {
    Promise.all([
      api.get<Member[]>(tenantPath(tenantId!, '/members')),
      api.get<Invitation[]>(tenantPath(tenantId!, '/invitations')),
      api.get<Page<MiniProgram>>(tenantPath(tenantId!, '/mini-programs?size=100')),
    ]).then(([m, i, p]) => { setMembers(m); setInvitations(i); setPrograms(p.items); setError(null); })
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [tenantId, t]);
  useEffect(load, [load]);

  const run = async (call: () => Promise<unknown>, done?: string) => {
    try {
      await call();
      if (done) message.success(done);
      load();
    } catch (e) {
      if (!isSessionExpired(e)) message.error(describe(e, t));
    }
  };
  const patch = (m: Member, body: Record<string, unknown>) =>
    run(() => api.patch(tenantPath(tenantId!, `/members/${m.userId}`), body), t('common.saved'));
  const programName = (appId: string) => {
    const p = programs.find((x) => x.appId === appId);
    return p ? displayName(p) : appId;
  };

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('members.title')}</Typography.Title>
        <Button type="primary" id="invite-member" onClick={() => setInviting(true)}>{t('members.invite')}</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Table<Member>
        rowKey="userId" id="members-table" dataSource={members} pagination={{ pageSize: 10 }}
        columns={[
          // the owner's row of a workspace made at sign-up carries no name or email: the token has them
          { title: t('common.name'), key: 'name', render: (_, m) => <>{m.name || (m.userId === me.id ? me.name : m.userId)} {m.userId === me.id && t('members.you')}</> },
          { title: t('common.email'), key: 'email', render: (_, m) => m.email || (m.userId === me.id ? me.email : '') },
          {
            title: t('common.role'), key: 'role', render: (_, m) => m.role === 'OWNER' ? <Tag>{t('role.OWNER')}</Tag> : (
              <Select size="small" value={m.role} aria-label={t('members.changeRole')} style={{ width: 130 }}
                      onChange={(role) => patch(m, { role })}
                      options={[{ value: 'MASTER', label: t('role.MASTER') }, { value: 'DEVELOPER', label: t('role.DEVELOPER') }]} />
            ),
          },
          {
            title: t('members.miniPrograms'), key: 'apps', render: (_, m) => m.role !== 'DEVELOPER' ? t('common.all') : (
              <Select mode="multiple" size="small" style={{ minWidth: 220 }} aria-label={t('members.assign')}
                      value={m.miniPrograms} onChange={(miniPrograms) => patch(m, { miniPrograms })}
                      options={programs.map((p) => ({ value: p.appId, label: programName(p.appId) }))} />
            ),
          },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'ACTIVE' ? 'green' : 'red'}>{s}</Tag> },
          {
            title: t('common.actions'), key: 'actions', render: (_, m) => m.role === 'OWNER' ? null : (
              <Space>
                {m.status === 'ACTIVE' ? (
                  <Confirm title={t('members.blockConfirm', { name: m.name })} onConfirm={() => patch(m, { status: 'BLOCKED' })}>
                    <Button size="small">{t('members.block')}</Button>
                  </Confirm>
                ) : <Button size="small" onClick={() => patch(m, { status: 'ACTIVE' })}>{t('members.unblock')}</Button>}
                <Confirm title={t('members.removeConfirm', { name: m.name })}
                         onConfirm={() => run(() => api.del(tenantPath(tenantId!, `/members/${m.userId}`)), t('common.saved'))}>
                  <Button size="small" danger>{t('members.remove')}</Button>
                </Confirm>
              </Space>
            ),
          },
        ]}
      />
      <Typography.Title level={4}>{t('members.invitations')}</Typography.Title>
      <Table<Invitation>
        rowKey="id" id="invitations-table" dataSource={invitations} pagination={{ pageSize: 10 }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('common.email'), dataIndex: 'email' },
          { title: t('common.role'), dataIndex: 'role', render: (r: string) => t(`role.${r}` as never) },
          { title: t('members.miniPrograms'), dataIndex: 'miniPrograms', render: (ids: string[]) => ids.map(programName).join(', ') },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag>{s}</Tag> },
          { title: t('members.expires'), dataIndex: 'expiresAt', render: (d: string) => new Date(d).toLocaleString() },
          {
            title: t('common.actions'), key: 'actions', render: (_, i) => (i.status === 'PENDING' || i.status === 'EXPIRED') && (
              <Space>
                <Button size="small" onClick={() => run(() => api.post(tenantPath(tenantId!, `/invitations/${i.id}/resend`)), t('members.resent'))}>{t('members.resend')}</Button>
                <Confirm title={t('members.withdrawConfirm', { email: i.email })}
                         onConfirm={() => run(() => api.del(tenantPath(tenantId!, `/invitations/${i.id}`)), t('common.saved'))}>
                  <Button size="small" danger>{t('members.withdraw')}</Button>
                </Confirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal open={inviting} title={t('members.invite')} footer={null} onCancel={() => setInviting(false)} destroyOnHidden>
        <InviteForm tenantId={tenantId!} miniPrograms={programs} onInvited={() => { setInviting(false); load(); }} />
      </Modal>
    </>
  );
}
