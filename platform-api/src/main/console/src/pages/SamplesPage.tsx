import { Alert, App, Button, Card, Col, Form, Input, Modal, Row, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, tenantPath, type Sample } from '../api';
import { describe, isSessionExpired, showFieldErrors } from '../errors';
import { useI18n } from '../i18n';
import { isManager, useCurrentTenant } from '../workspaces';

/** The text in the console's language: zh-CN for Chinese, else en-US. */
export function sampleText(texts: Record<string, string>, lang: string): string {
  return (lang === 'zh' ? texts['zh-CN'] : texts['en-US']) ?? texts['en-US'] ?? '';
}

interface TemplateValues {
  name: string;
  description: string;
  industry: string;
}

/**
 * The platform's sample gallery: a merchant's owner or master starts a mini program from a sample; an ISV's owner
 * or master creates a template from one. Everyone else sees the cards only.
 */
export function SamplesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { tenantId } = useParams();
  const tenant = useCurrentTenant();
  const [samples, setSamples] = useState<Sample[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [forTemplate, setForTemplate] = useState<Sample | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<TemplateValues>();

  useEffect(() => {
    api.get<Sample[]>('/api/v1/samples').then(setSamples)
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [t]);

  const manager = isManager(tenant);
  const merchant = tenant?.kind === 'MERCHANT';

  const openTemplate = (sample: Sample) => {
    form.setFieldsValue({
      name: sampleText(sample.names, lang),
      description: sampleText(sample.descriptions, lang),
      industry: sample.industry,
    });
    setForTemplate(sample);
  };

  const createTemplate = async (values: TemplateValues) => {
    if (!forTemplate) return;
    setSaving(true);
    try {
      await api.post(tenantPath(tenantId!, '/templates'),
        { ...values, fromSample: { id: forTemplate.id, version: forTemplate.version } });
      message.success(t('samples.templateCreated', { version: forTemplate.version }));
      setForTemplate(null);
    } catch (e) {
      if (isSessionExpired(e)) return;
      if (e instanceof ApiError && e.status === 400 && e.errors.length) {
        const leftover = showFieldErrors(form, e, (p) => ['name', 'description', 'industry'].includes(p[0]));
        if (leftover.length) message.error(leftover.join(' '));
      } else {
        message.error(describe(e, t));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Typography.Title level={3}>{t('samples.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('samples.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        {samples.map((sample) => (
          <Col key={`${sample.id}@${sample.version}`} xs={24} md={12} xl={8}>
            <Card data-sample={sample.id} title={<h4 style={{ fontSize: 16, margin: 0 }}>{sampleText(sample.names, lang)}</h4>}
                  extra={<Tag>{t('samples.version', { version: sample.version })}</Tag>}>
              <Typography.Paragraph>{sampleText(sample.descriptions, lang)}</Typography.Paragraph>
              <Typography.Text strong>{t('samples.pages')}</Typography.Text>
              <ul style={{ paddingLeft: 20, marginTop: 4 }}>
                {sample.pages.map((page) => <li key={page}><Typography.Text code>{page}</Typography.Text></li>)}
              </ul>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('samples.settings', { settings: Object.keys(sample.extDefaults).join(', ') })}
              </Typography.Paragraph>
              <Space wrap>
                {manager && merchant && (
                  <Button type="primary" id={`start-${sample.id}-${sample.version}`}
                          onClick={() => navigate(`/w/${tenantId}/samples/${sample.id}/${sample.version}/start`)}>
                    {t('samples.start')}
                  </Button>
                )}
                {manager && !merchant && (
                  <Button type="primary" id={`template-${sample.id}-${sample.version}`} onClick={() => openTemplate(sample)}>{t('samples.createTemplate')}</Button>
                )}
              </Space>
            </Card>
          </Col>
        ))}
      </Row>
      <Modal open={forTemplate !== null} title={t('samples.createTemplate')} okText={t('common.create')}
             confirmLoading={saving} okButtonProps={{ id: 'template-submit' }} onCancel={() => setForTemplate(null)} onOk={() => form.submit()}>
        <Form form={form} name="template" layout="vertical" onFinish={createTemplate}>
          <Form.Item name="name" label={t('samples.templateName')} rules={[{ required: true, message: t('rule.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="description" label={t('samples.templateDescription')} rules={[{ required: true, message: t('rule.required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="industry" label={t('samples.industry')} rules={[{ required: true, message: t('rule.required') }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
