import { Alert, App, Button, Form, Input, Radio, Select } from 'antd';
import { useState } from 'react';
import { api, ApiError, tenantPath, type Invitation, type MiniProgram } from '../api';
import { describe, isSessionExpired, ruleMessage, showFieldErrors } from '../errors';
import { useI18n } from '../i18n';
import { checkEmail } from '../rules';

interface Values {
  name: string;
  email: string;
  role: 'MASTER' | 'DEVELOPER';
  miniPrograms: string[];
}

/** Name, email and role; a developer needs at least one assigned mini program (quickstart step 2). */
export function InviteForm({ tenantId, miniPrograms, fixedRole, onInvited }: {
  tenantId: string;
  miniPrograms: MiniProgram[];
  fixedRole?: 'MASTER';
  onInvited: (invitation: Invitation) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch('role', form);
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (values: Values) => {
    setGeneral(null);
    setSaving(true);
    try {
      const invitation = await api.post<Invitation>(tenantPath(tenantId, '/invitations'), {
        name: values.name, email: values.email, role: values.role,
        miniPrograms: values.role === 'DEVELOPER' ? values.miniPrograms ?? [] : [],
      });
      message.success(t('wizard.invited', { email: values.email }));
      form.resetFields();
      onInvited(invitation);
    } catch (error) {
      if (isSessionExpired(error)) return;
      if (error instanceof ApiError && error.status === 400 && error.errors.length) {
        const leftover = showFieldErrors(form, error, (p) => ['name', 'email', 'role', 'miniPrograms'].includes(p[0]));
        setGeneral(leftover.length ? leftover.join('; ') : null);
      } else {
        setGeneral(describe(error, t));
      }
    } finally {
      setSaving(false);
    }
  };

  const name = fixedRole ? 'inviteMaster' : 'invite';
  return (
    <Form<Values> form={form} name={name} layout="vertical" onFinish={submit}
                  initialValues={{ role: fixedRole ?? 'DEVELOPER', miniPrograms: [] }} style={{ maxWidth: 520 }}>
      {general && <Alert type="error" showIcon title={general} role="alert" style={{ marginBottom: 12 }} />}
      <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('rule.required') }]}>
        <Input />
      </Form.Item>
      <Form.Item name="email" label={t('common.email')} required
                 rules={[{ validator: async (_, v) => { const p = checkEmail(v); if (p) throw new Error(ruleMessage(p, t)); } }]}>
        <Input type="email" />
      </Form.Item>
      <Form.Item name="role" label={t('common.role')} hidden={!!fixedRole}>
        <Radio.Group optionType="button" options={[
          { value: 'MASTER', label: t('role.MASTER') },
          { value: 'DEVELOPER', label: t('role.DEVELOPER') },
        ]} />
      </Form.Item>
      {role === 'DEVELOPER' && (
        <Form.Item name="miniPrograms" label={t('members.miniPrograms')}
                   rules={[{ type: 'array', min: 1, message: t('rule.developerNeedsApp') }]}>
          <Select mode="multiple" options={miniPrograms.map((p) => ({ value: p.appId, label: displayName(p) }))} />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" loading={saving} id={`${name}-submit`}>{t('wizard.invite')}</Button>
    </Form>
  );
}

export function displayName(program: MiniProgram): string {
  return program.localizations[program.defaultLanguage]?.name ?? program.appId;
}
