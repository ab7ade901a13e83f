import { Alert, Button, Card, Form, Input, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, type Tenant } from '../api';
import { describe, isSessionExpired, showFieldErrors } from '../errors';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../Shell';
import { useWorkspaces } from '../workspaces';
import { logout } from '../auth';

/** First sign-in: choose the account type and name the workspace; the user becomes its owner. */
export function WelcomePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { reload, tenants } = useWorkspaces();
  const [form] = Form.useForm<{ kind: 'MERCHANT' | 'ISV'; name: string }>();
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (values: { kind: 'MERCHANT' | 'ISV'; name: string }) => {
    setGeneral(null);
    setSaving(true);
    try {
      const tenant = await api.post<Tenant>('/api/v1/tenants', values);
      await reload();
      navigate(tenant.kind === 'MERCHANT' ? `/w/${tenant.id}/wizard` : `/w/${tenant.id}/services`);
    } catch (error) {
      if (isSessionExpired(error)) return;
      if (error instanceof ApiError && error.status === 400 && error.errors.length) {
        showFieldErrors(form, error, (p) => ['kind', 'name'].includes(p[0]));
      } else {
        setGeneral(describe(error, t));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <div style={{ maxWidth: 560, margin: '48px auto', padding: 16 }}>
      <header>
        <Space style={{ width: '100%', justifyContent: 'flex-end', marginBottom: 16 }}>
          <LanguageSwitch />
          {tenants.length > 0 && <Button onClick={() => navigate('/')}>{t('common.back')}</Button>}
          <Button onClick={() => void logout()}>{t('app.logout')}</Button>
        </Space>
      </header>
      <main>
        <Card>
          <Typography.Title level={2}>{t('welcome.title')}</Typography.Title>
          <Typography.Paragraph>{t('welcome.intro')}</Typography.Paragraph>
          {general && <Alert type="error" showIcon title={general} role="alert" style={{ marginBottom: 16 }} />}
          <Form form={form} name="workspace" layout="vertical" initialValues={{ kind: 'MERCHANT' }} onFinish={submit}>
            <Form.Item name="kind" label={t('welcome.kind')}>
              <Radio.Group>
                <Space direction="vertical">
                  <Radio value="MERCHANT" id="kind-merchant">{t('welcome.kindMerchant')}</Radio>
                  <Radio value="ISV" id="kind-isv">{t('welcome.kindIsv')}</Radio>
                </Space>
              </Radio.Group>
            </Form.Item>
            <Form.Item name="name" label={t('welcome.name')} rules={[{ required: true, whitespace: true, message: t('rule.required') }]}>
              <Input />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={saving} id="workspace-submit">{t('welcome.create')}</Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 24 }}>{t('welcome.invited')}</Typography.Paragraph>
        </Card>
      </main>
    </div>
  );
}
