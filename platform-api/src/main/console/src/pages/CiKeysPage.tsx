import { Alert, App, Button, Checkbox, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError, tenantPath, type CiKey, type MiniProgram, type Page } from '../api';
import { Confirm } from '../components/Confirm';
import { displayName } from '../components/InviteForm';
import { describe, isSessionExpired, showFieldErrors } from '../errors';
import { useI18n } from '../i18n';

interface KeyForm {
  name: string;
  appIds: string[];
  allowSubmit: boolean;
  allowedSources: string[];
}

const FIELDS = ['name', 'appIds', 'allowSubmit', 'allowedSources'];

/**
 * Owners and masters give build pipelines CI keys: a key may only upload and preview the mini programs it names (and
 * submit them, if allowed), optionally only from some address blocks. Its secret is shown once, right after it is
 * created or rotated.
 */
export function CiKeysPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { tenantId } = useParams();
  const [keys, setKeys] = useState<CiKey[]>([]);
  const [programs, setPrograms] = useState<MiniProgram[]>([]);
  const [shown, setShown] = useState<CiKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<KeyForm>();

  const load = useCallback(() => {
    Promise.all([
      api.get<CiKey[]>(tenantPath(tenantId!, '/ci-keys')),
      api.get<Page<MiniProgram>>(tenantPath(tenantId!, '/mini-programs?size=100')),
    ]).then(([k, p]) => { setKeys(k); setPrograms(p.items); setError(null); })
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [tenantId, t]);
  useEffect(load, [load]);

  const create = async (values: KeyForm) => {
    try {
      const key = await api.post<CiKey>(tenantPath(tenantId!, '/ci-keys'), {
        name: values.name, appIds: values.appIds ?? [], allowSubmit: !!values.allowSubmit,
        allowedSources: values.allowedSources ?? [],
      });
      setShown(key);
      form.resetFields();
      load();
    } catch (e) {
      if (isSessionExpired(e)) return;
      if (e instanceof ApiError && e.status === 400 && e.errors.length) {
        // allowedSources[2] belongs to the one tag field
        const leftover = showFieldErrors(form, e, (p) => FIELDS.includes(p[0]));
        if (leftover.length) message.error(leftover.join('; '));
      } else {
        message.error(describe(e, t));
      }
    }
  };

  const rotate = async (key: CiKey) => {
    try {
      setShown(await api.post<CiKey>(tenantPath(tenantId!, `/ci-keys/${key.id}/rotate`)));
      load();
    } catch (e) {
      if (!isSessionExpired(e)) message.error(describe(e, t));
    }
  };

  const revoke = async (key: CiKey) => {
    try {
      await api.del(tenantPath(tenantId!, `/ci-keys/${key.id}`));
      message.success(t('ciKeys.revoked', { name: key.name }));
      if (shown?.id === key.id) setShown(null);
      load();
    } catch (e) {
      if (!isSessionExpired(e)) message.error(describe(e, t));
    }
  };

  const programName = (appId: string) => {
    const p = programs.find((x) => x.appId === appId);
    return p ? displayName(p) : appId;
  };

  return (
    <>
      <Typography.Title level={3}>{t('ciKeys.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('ciKeys.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      {shown?.key && (
        <Alert id="ci-key-secret" type="warning" showIcon closable onClose={() => setShown(null)} style={{ marginBottom: 16 }}
               title={t('ciKeys.secretOnce', { name: shown.name })}
               description={<Space direction="vertical">
                 <Typography.Text code copyable id="ci-key-value">{shown.key}</Typography.Text>
                 <Typography.Text type="secondary">{t('ciKeys.howToUse')}</Typography.Text>
               </Space>} />
      )}
      <Form form={form} name="ciKey" layout="vertical" onFinish={create} style={{ maxWidth: 560, marginBottom: 24 }}
            initialValues={{ allowSubmit: false, allowedSources: [] }}>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('rule.required') },
          { max: 64, message: t('ciKeys.nameLength') }]}>
          <Input placeholder={t('ciKeys.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="appIds" label={t('ciKeys.miniPrograms')} rules={[{ required: true, message: t('ciKeys.appsRequired') }]}>
          <Select mode="multiple" options={programs.map((p) => ({ value: p.appId, label: displayName(p) }))} />
        </Form.Item>
        <Form.Item name="allowSubmit" valuePropName="checked">
          <Checkbox>{t('ciKeys.allowSubmit')}</Checkbox>
        </Form.Item>
        <Form.Item name="allowedSources" label={t('ciKeys.sources')} extra={t('ciKeys.sourcesHelp')}>
          <Select mode="tags" tokenSeparators={[',', ' ']} open={false} suffixIcon={null} />
        </Form.Item>
        <Button type="primary" htmlType="submit" id="ci-key-create">{t('ciKeys.create')}</Button>
      </Form>
      <Table<CiKey>
        rowKey="id" dataSource={keys} pagination={{ pageSize: 20 }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('ciKeys.clientId'), dataIndex: 'clientId', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
          { title: t('ciKeys.miniPrograms'), dataIndex: 'appIds', render: (ids: string[]) => ids.map(programName).join(', ') },
          { title: t('ciKeys.may'), key: 'may', render: (_, k) => (k.allowSubmit ? t('ciKeys.mayWithSubmit') : t('ciKeys.mayUpload')) },
          { title: t('ciKeys.sources'), dataIndex: 'allowedSources', render: (s: string[]) => (s.length ? s.join(', ') : t('ciKeys.anywhere')) },
          { title: t('common.state'), key: 'state', render: (_, k) => (k.revokedAt
            ? <Tag color="red">{t('ciKeys.revokedAt', { when: new Date(k.revokedAt).toLocaleString() })}</Tag>
            : <Tag color="green">{t('ciKeys.active')}</Tag>) },
          {
            title: t('common.actions'), key: 'a', render: (_, k) => (k.revokedAt ? null : (
              <Space>
                <Confirm title={t('ciKeys.rotateConfirm', { name: k.name })} onConfirm={() => rotate(k)}>
                  <Button size="small" aria-label={t('ciKeys.rotateOne', { name: k.name })}>{t('ciKeys.rotate')}</Button>
                </Confirm>
                <Confirm title={t('ciKeys.revokeConfirm', { name: k.name })} onConfirm={() => revoke(k)}>
                  <Button size="small" danger aria-label={t('ciKeys.revokeOne', { name: k.name })}>{t('ciKeys.revoke')}</Button>
                </Confirm>
              </Space>
            )),
          },
        ]}
      />
    </>
  );
}
