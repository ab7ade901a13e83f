import { Alert, App, Button, Checkbox, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError, tenantPath } from '../api';
import { describe, isSessionExpired, showFieldErrors } from '../errors';
import { useI18n } from '../i18n';

interface Application {
  clientId: string;
  name: string;
  redirectUris: string[];
  webhookUrl: string;
  status: string;
  clientSecret?: string;
  webhookSecret?: string;
}

interface Values {
  name: string;
  redirectUris: string;
  webhookUrl: string;
  rotateClientSecret?: boolean;
  rotateWebhookSecret?: boolean;
}

/**
 * The ISV's OAuth application: the Keycloak client merchants consent to and the webhook URL the platform posts to.
 * Needed before the first service. The secrets are shown once, when created or rotated.
 */
export function IsvApplicationPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { tenantId } = useParams();
  const [form] = Form.useForm<Values>();
  const [application, setApplication] = useState<Application | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [secrets, setSecrets] = useState<Application | null>(null);
  const [error, setError] = useState<string | null>(null);

  const show = useCallback((app: Application) => {
    setApplication(app);
    form.setFieldsValue({ name: app.name, redirectUris: app.redirectUris.join('\n'), webhookUrl: app.webhookUrl,
      rotateClientSecret: false, rotateWebhookSecret: false });
  }, [form]);
  useEffect(() => {
    api.get<Application>(tenantPath(tenantId!, '/isv-application'))
      .then(show)
      .catch((e) => {
        // 404: not registered yet, the form starts empty
        if (!isSessionExpired(e) && !(e instanceof ApiError && e.status === 404)) setError(describe(e, t));
      })
      .finally(() => setLoaded(true));
  }, [tenantId, show, t]);

  const save = async (values: Values) => {
    setError(null);
    try {
      const saved = await api.put<Application>(tenantPath(tenantId!, '/isv-application'), {
        ...values, redirectUris: values.redirectUris.split('\n').map((s) => s.trim()).filter(Boolean),
      });
      show(saved);
      setSecrets(saved.clientSecret || saved.webhookSecret ? saved : null);
      message.success(t('common.saved'));
    } catch (e) {
      if (isSessionExpired(e)) return;
      if (e instanceof ApiError && e.status === 400 && e.errors.length) {
        // one text area holds every redirect URI: redirectUris[1] belongs to it
        const byField = new ApiError(400, e.title, e.detail,
          e.errors.map((x) => ({ ...x, field: x.field.replace(/\[\d+\]$/, '') })), e.type);
        const leftover = showFieldErrors(form, byField, (p) => ['name', 'redirectUris', 'webhookUrl'].includes(p[0]));
        setError(leftover.join('; ') || null);
      } else {
        setError(describe(e, t));
      }
    }
  };

  return (
    <>
      <Typography.Title level={3}>{t('isvApp.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('isvApp.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      {secrets && (
        <Alert type="warning" showIcon closable onClose={() => setSecrets(null)} style={{ marginBottom: 16 }} id="isv-secrets"
               title={t('isvApp.secretsOnce')}
               description={(
                 <Space orientation="vertical">
                   {secrets.clientSecret && <span>{t('isvApp.clientSecret')}: <Typography.Text code copyable>{secrets.clientSecret}</Typography.Text></span>}
                   {secrets.webhookSecret && <span>{t('isvApp.webhookSecret')}: <Typography.Text code copyable>{secrets.webhookSecret}</Typography.Text></span>}
                 </Space>
               )} />
      )}
      {application && (
        <Descriptions size="small" column={1} style={{ marginBottom: 16 }} items={[
          { key: 'client', label: t('isvApp.clientId'), children: <Typography.Text code id="isv-client-id">{application.clientId}</Typography.Text> },
          { key: 'status', label: t('common.status'), children: application.status },
        ]} />
      )}
      {loaded && (
        <Form form={form} name="isvApplication" layout="vertical" onFinish={save} style={{ maxWidth: 640 }}>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('rule.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="redirectUris" label={t('isvApp.redirectUris')} extra={t('isvApp.redirectUrisHelp')}
                     rules={[{ required: true, whitespace: true, message: t('rule.required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="webhookUrl" label={t('isvApp.webhookUrl')} extra={t('isvApp.webhookUrlHelp')}
                     rules={[{ required: true, whitespace: true, message: t('rule.required') }]}>
            <Input />
          </Form.Item>
          {application && (
            <>
              <Form.Item name="rotateClientSecret" valuePropName="checked" style={{ marginBottom: 0 }}>
                <Checkbox>{t('isvApp.rotateClientSecret')}</Checkbox>
              </Form.Item>
              <Form.Item name="rotateWebhookSecret" valuePropName="checked">
                <Checkbox>{t('isvApp.rotateWebhookSecret')}</Checkbox>
              </Form.Item>
            </>
          )}
          <Button type="primary" htmlType="submit" id="isv-application-submit">{application ? t('common.save') : t('isvApp.register')}</Button>
        </Form>
      )}
    </>
  );
}
