import { Alert, App, Button, Card, Form, Input, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, tenantPath } from '../api';
import {
  DOMAIN_LISTS, domainFieldPath, listProblems, MAX_ENTRIES, type DomainListName, type DomainLists, type SavedDomains,
} from '../domains';
import { describe, isSessionExpired } from '../errors';
import { useI18n, type MessageKey } from '../i18n';

interface Props {
  tenantId: string;
  appId: string;
}

/**
 * The five server domain lists of a mini program, one input per entry. Every entry is checked while typing with the
 * server's rules (../domains.ts); what only the server knows (public suffixes) comes back on the entry it names.
 */
export function DomainsPanel({ tenantId, appId }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<DomainLists>();
  const [saved, setSaved] = useState<SavedDomains | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const path = tenantPath(tenantId, `/mini-programs/${appId}/domains`);

  const load = useCallback(() => {
    api.get<SavedDomains>(path)
      .then((domains) => {
        setSaved(domains);
        form.setFieldsValue(domains);
      })
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [path, form, t]);
  useEffect(load, [load]);

  /** The server's code in the console's language when the console knows it, else the server's own words. */
  const entryMessage = (list: DomainListName, code: string, serverMessage: string): string => {
    const known = code === 'scheme' && list === 'socket' ? 'scheme-socket' : code;
    const key = `domains.problem.${known}` as MessageKey;
    const text = t(key);
    return text === key ? serverMessage : text;
  };

  const submit = async (values: DomainLists) => {
    setSaving(true);
    setError(null);
    try {
      const body = Object.fromEntries(DOMAIN_LISTS.map((list) => [list, (values[list] ?? []).map((entry) => entry.trim())]));
      const stored = await api.put<SavedDomains>(path, { ...body, revision: saved?.revision ?? 0 });
      setSaved(stored);
      form.setFieldsValue(stored);
      message.success(t('domains.saved'));
    } catch (e) {
      if (isSessionExpired(e)) return;
      if (e instanceof ApiError && e.status === 400) {
        const leftover: string[] = [];
        form.setFields(e.errors.flatMap((fieldError) => {
          const name = domainFieldPath(fieldError.field);
          if (name === null || name.length === 1) {
            leftover.push(`${fieldError.field}: ${fieldError.message}`);
            return [];
          }
          return [{ name, errors: [entryMessage(name[0], fieldError.code, fieldError.message)] }];
        }));
        setError(leftover.length ? leftover.join(' ') : t('error.400'));
      } else {
        setError(describe(e, t));
      }
    } finally {
      setSaving(false);
    }
  };

  if (!saved && !error) return <Spin />;
  return (
    <Form<DomainLists> form={form} name="domains" layout="vertical" onFinish={submit} disabled={!saved}>
      <Typography.Paragraph>{t('domains.intro')}</Typography.Paragraph>
      <Alert type="info" showIcon title={t('domains.rules', { max: MAX_ENTRIES })} style={{ marginBottom: 16 }}
             id="domains-rules" />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" id="domains-error" />}
      {DOMAIN_LISTS.map((list) => <DomainList key={list} list={list} />)}
      <Button type="primary" htmlType="submit" loading={saving} id="domains-submit">{t('common.save')}</Button>
    </Form>
  );
}

function DomainList({ list }: { list: DomainListName }) {
  const { t } = useI18n();
  const listLabel = t(`domains.list.${list}` as MessageKey);
  return (
    <Card size="small" title={<span id={`domains-${list}-title`}>{listLabel}</span>} style={{ marginBottom: 16 }}>
      <Form.List name={list}>
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field, index) => (
              <Space key={field.key} align="start" style={{ display: 'flex' }}>
                <Form.Item
                  name={field.name}
                  style={{ width: 520, marginBottom: 8 }}
                  validateTrigger={['onChange', 'onBlur']}
                  dependencies={[list]}
                  rules={[({ getFieldValue }) => ({
                    validator: async () => {
                      const problem = listProblems(list, getFieldValue(list) ?? []).get(index);
                      if (problem) throw new Error(t(`domains.problem.${problem}` as MessageKey));
                    },
                  })]}
                >
                  <Input id={`domains_${list}_${index}`} placeholder={list === 'socket' ? 'wss://ws.example.com' : 'https://api.example.com'}
                         aria-label={t('domains.entry', { list: listLabel, index: index + 1 })} maxLength={300} />
                </Form.Item>
                <Button onClick={() => remove(field.name)} aria-label={`${t('common.delete')} ${listLabel} ${index + 1}`}>
                  {t('common.delete')}
                </Button>
              </Space>
            ))}
            <Form.ErrorList errors={errors} />
            <Button type="dashed" onClick={() => add('')} disabled={fields.length >= MAX_ENTRIES} id={`domains-${list}-add`}>
              {t('domains.add')}
            </Button>
            {fields.length >= MAX_ENTRIES && (
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{t('domains.full', { max: MAX_ENTRIES })}</Typography.Text>
            )}
          </>
        )}
      </Form.List>
    </Card>
  );
}
