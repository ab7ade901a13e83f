import { Alert, App, Button, Checkbox, Col, Form, Input, Row, Select, Space, Tabs, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, tenantPath, type Industry, type MiniProgram, type Texts } from '../api';
import { describe, isSessionExpired, ruleMessage, showFieldErrors } from '../errors';
import { useI18n } from '../i18n';
import { checkEmail, checkPhone, checkText, DESCRIPTION, NAME, TAGLINE, type TextRule } from '../rules';
import { LogoPicker, type ChosenLogo } from './LogoPicker';

export const LANGUAGES: Array<{ value: string; label: string }> = [
  { value: 'zh-CN', label: '简体中文 (zh-CN)' },
  { value: 'en-US', label: 'English (en-US)' },
  { value: 'zh-HK', label: '繁體中文 (zh-HK)' },
  { value: 'id-ID', label: 'Bahasa Indonesia (id-ID)' },
  { value: 'ms-MY', label: 'Bahasa Melayu (ms-MY)' },
  { value: 'th-TH', label: 'ไทย (th-TH)' },
  { value: 'ko-KR', label: '한국어 (ko-KR)' },
  { value: 'ja-JP', label: '日本語 (ja-JP)' },
];

interface Values {
  defaultLanguage: string;
  releaseTo: string[];
  languages: string[];
  localizations: Record<string, Texts>;
  industry?: string;
  servicePhone: string;
  serviceEmail: string;
}

const TOP_FIELDS = new Set(['defaultLanguage', 'releaseTo', 'industry', 'servicePhone', 'serviceEmail', 'languages', 'logo']);

interface Props {
  tenantId: string;
  existing?: MiniProgram;
  submitLabel: string;
  onSaved: (program: MiniProgram) => void;
  extraButtons?: React.ReactNode;
  /** Creates with another call than the plain create (e.g. a start from a sample); same body, same answer. */
  create?: (body: object) => Promise<MiniProgram>;
}

/** Create or modify a mini program with every field of the Alipay+ quickstart; all are required. */
export function MiniProgramForm({ tenantId, existing, submitLabel, onSaved, extraButtons, create }: Props) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [logo, setLogo] = useState<ChosenLogo | null>(null);
  const [logoError, setLogoError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [activeTab, setActiveTab] = useState<string>(existing?.defaultLanguage ?? 'zh-CN');
  const [industries, setIndustries] = useState<Industry[]>([]);
  const languages = Form.useWatch('languages', form) ?? [];
  const releaseTo = Form.useWatch('releaseTo', form) ?? [];
  const wasCn = existing?.releaseTo.includes('CN') ?? false;

  const initial: Values = useMemo(() => existing ? {
    defaultLanguage: existing.defaultLanguage,
    releaseTo: existing.releaseTo,
    languages: Object.keys(existing.localizations),
    localizations: existing.localizations,
    industry: existing.industry,
    servicePhone: existing.servicePhone,
    serviceEmail: existing.serviceEmail,
  } : {
    defaultLanguage: 'zh-CN',
    releaseTo: ['CN'],
    languages: ['zh-CN'],
    localizations: { 'zh-CN': { name: '', tagline: '', description: '' } },
    servicePhone: '',
    serviceEmail: '',
  }, [existing]);

  const searchIndustries = (q: string) => {
    api.get<Industry[]>(`/api/v1/industries?q=${encodeURIComponent(q)}`)
      .then((list) => setIndustries(list.filter((i) => i.selectable)))
      .catch(() => undefined);
  };
  useEffect(() => searchIndustries(''), []);

  // Released to Alipay China, the default language is Chinese (quickstart); keep the form consistent.
  useEffect(() => {
    if (releaseTo.includes('CN') && !existing) {
      const current = form.getFieldValue('defaultLanguage') as string;
      if (!current?.startsWith('zh')) form.setFieldValue('defaultLanguage', 'zh-CN');
    }
  }, [releaseTo, existing, form]);

  const addLanguage = (tag: string) => {
    if (!tag || languages.includes(tag)) return;
    form.setFieldValue('languages', [...languages, tag]);
    setActiveTab(tag);
  };
  const removeLanguage = (tag: string) => {
    form.setFieldValue('languages', languages.filter((l) => l !== tag));
    setActiveTab(form.getFieldValue('defaultLanguage'));
  };

  const textRule = (rule: TextRule) => ({
    validator: async (_: unknown, value: string) => {
      const problem = checkText(rule, value);
      if (problem) throw new Error(ruleMessage(problem, t));
    },
  });

  const submit = async (values: Values) => {
    setGeneral(null);
    setLogoError(null);
    if (!existing && !logo) {
      setLogoError(t('rule.required'));
      return;
    }
    const localizations: Record<string, Texts> = {};
    for (const language of values.languages) {
      localizations[language] = values.localizations?.[language] ?? { name: '', tagline: '', description: '' };
    }
    const body = {
      defaultLanguage: values.defaultLanguage,
      releaseTo: values.releaseTo ?? [],
      industry: values.industry,
      localizations,
      servicePhone: values.servicePhone,
      serviceEmail: values.serviceEmail,
      ...(existing ? { revision: existing.revision } : {}),
    };
    setSaving(true);
    let saved: MiniProgram;
    try {
      saved = existing
        ? await api.put<MiniProgram>(tenantPath(tenantId, `/mini-programs/${existing.appId}`), body)
        : create ? await create(body) : await api.post<MiniProgram>(tenantPath(tenantId, '/mini-programs'), body);
    } catch (error) {
      setSaving(false);
      report(error);
      return;
    }
    if (logo) {
      try {
        await api.putBytes(tenantPath(tenantId, `/mini-programs/${saved.appId}/logo`), logo.file, logo.type);
      } catch (error) {
        setSaving(false);
        if (error instanceof ApiError) setLogoError(logoProblem(error));
        onSaved(saved);
        return;
      }
    }
    setSaving(false);
    message.success(existing ? t('mp.saved') : t('mp.created'));
    onSaved(saved);
  };

  const logoProblem = (error: ApiError) => error.errors.find((e) => e.field === 'logo')?.message ?? describe(error, t);

  const report = (error: unknown) => {
    if (isSessionExpired(error)) return;
    if (error instanceof ApiError && error.status === 400 && error.errors.length) {
      const renamed = new ApiError(error.status, error.title, error.detail,
        error.errors.map((e) => (e.field === 'localizations' ? { ...e, field: 'languages' } : e)), error.type);
      const known = (path: string[]) => TOP_FIELDS.has(path[0])
        || (path[0] === 'localizations' && path.length === 3 && languages.includes(path[1]));
      const leftover = showFieldErrors(form, renamed, known);
      const logoField = error.errors.find((e) => e.field === 'logo');
      if (logoField) setLogoError(logoField.message);
      const failingLanguage = error.errors.map((e) => e.field.split('.')).find((p) => p[0] === 'localizations' && p.length === 3)?.[1];
      if (failingLanguage && languages.includes(failingLanguage)) setActiveTab(failingLanguage);
      setGeneral(leftover.length ? `${t('error.400')} ${leftover.join('; ')}` : null);
    } else {
      setGeneral(describe(error, t));
    }
  };

  const defaultLanguage = Form.useWatch('defaultLanguage', form);
  const industryLabel = (i: Industry) => (lang === 'zh' ? i.nameZh : i.name);

  return (
    <Form<Values> form={form} name="miniProgram" layout="vertical" initialValues={initial} onFinish={submit}
                  scrollToFirstError style={{ maxWidth: 760 }}>
      {general && <Alert type="error" showIcon title={general} style={{ marginBottom: 16 }} role="alert" id="form-error" />}
      <Typography.Title level={5}>{t('mp.details')}</Typography.Title>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="defaultLanguage" label={t('mp.defaultLanguage')} rules={[{ required: true, message: t('rule.required') }]}
                     extra={releaseTo.includes('CN') ? t('mp.cnChinese') : undefined}>
            <Select options={LANGUAGES.filter((l) => !releaseTo.includes('CN') || l.value.startsWith('zh'))}
                    disabled={wasCn}
                    onChange={(v: string) => { if (!languages.includes(v)) addLanguage(v); else setActiveTab(v); }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="releaseTo" label={t('mp.releaseTo')}>
            <Checkbox.Group options={[{ value: 'CN', label: t('mp.releaseToCN') }]} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="languages" label={t('mp.languages')} rules={[{ required: true, message: t('rule.required') }]}>
        <Select mode="multiple" options={LANGUAGES}
                onChange={(next: string[]) => {
                  if (defaultLanguage && !next.includes(defaultLanguage)) next.push(defaultLanguage);
                  form.setFieldValue('languages', next);
                }} />
      </Form.Item>
      <Tabs
        activeKey={languages.includes(activeTab) ? activeTab : languages[0]}
        onChange={setActiveTab}
        items={languages.map((language: string) => ({
          key: language,
          forceRender: true,
          label: LANGUAGES.find((l) => l.value === language)?.label ?? language,
          children: (
            <div>
              <Form.Item name={['localizations', language, 'name']} label={t('mp.name')} required rules={[textRule(NAME)]} validateFirst>
                <Input count={{ max: NAME.max, strategy: NAME.measure, show: ({ count }) => t('mp.counterWide', { count, max: NAME.max }) }} />
              </Form.Item>
              <Form.Item name={['localizations', language, 'tagline']} label={t('mp.tagline')} required rules={[textRule(TAGLINE)]}>
                <Input count={{ max: TAGLINE.max, strategy: TAGLINE.measure, show: ({ count }) => t('mp.counter', { count, max: TAGLINE.max }) }} />
              </Form.Item>
              <Form.Item name={['localizations', language, 'description']} label={t('mp.description')} required rules={[textRule(DESCRIPTION)]}>
                <Input.TextArea rows={4} count={{ max: DESCRIPTION.max, strategy: DESCRIPTION.measure, show: ({ count }) => t('mp.counter', { count, max: DESCRIPTION.max }) }} />
              </Form.Item>
              {language !== defaultLanguage && (
                <Button size="small" onClick={() => removeLanguage(language)}>{t('mp.removeLanguage')}</Button>
              )}
            </div>
          ),
        }))}
      />
      <Form.Item label={t('mp.logo')} required validateStatus={logoError ? 'error' : undefined} help={logoError ?? t('mp.logoHelp')}>
        <LogoPicker existingUrl={existing?.logo?.url} onChange={(chosen, problem) => { setLogo(chosen); setLogoError(problem); }} />
      </Form.Item>
      <Form.Item name="industry" label={t('mp.industry')} rules={[{ required: true, message: t('rule.required') }]}>
        <Select showSearch={{ filterOption: false, onSearch: searchIndustries }} placeholder={t('mp.industrySearch')}
                options={industries.map((i) => ({ value: i.code, label: industryLabel(i) }))} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="servicePhone" label={t('mp.phone')} required
                     rules={[{ validator: async (_, v) => { const p = checkPhone(v); if (p) throw new Error(ruleMessage(p, t)); } }]}>
            <Input placeholder="0571-8888888" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="serviceEmail" label={t('mp.email')} required
                     rules={[{ validator: async (_, v) => { const p = checkEmail(v); if (p) throw new Error(ruleMessage(p, t)); } }]}>
            <Input placeholder="service@example.com" />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary">{t('mp.required')}</Typography.Paragraph>
      <Space>
        <Button type="primary" htmlType="submit" loading={saving} id="mini-program-submit">{submitLabel}</Button>
        {extraButtons}
      </Space>
    </Form>
  );
}
