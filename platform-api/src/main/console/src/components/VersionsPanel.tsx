import { Alert, App, Button, Form, Input, Modal, Progress, Select, Slider, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, tenantPath, upload, type Release, type Target, type Version, type Wallet } from '../api';
import { currentUser } from '../auth';
import { describe, isSessionExpired, ruleMessage, showFieldErrors } from '../errors';
import { useI18n } from '../i18n';
import { checkVersion } from '../rules';
import { Confirm } from './Confirm';

const STATE_COLORS: Record<string, string> = {
  UNDER_REVIEW: 'gold', REJECTED: 'red', RELEASE_PREPARATION: 'blue', PILOT_TESTING: 'cyan',
  GRAYSCALE: 'purple', FULL_RELEASE: 'green', CANCELED: 'default', ARCHIVED: 'default', OFFLINE: 'default',
};

export function VersionsPanel({ tenantId, appId }: { tenantId: string; appId: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const base = tenantPath(tenantId, `/mini-programs/${appId}`);
  const [versions, setVersions] = useState<Version[]>([]);
  const [releases, setReleases] = useState<Release[]>([]);
  const [wallets, setWallets] = useState<Wallet[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState<string | null>(null);

  const load = useCallback(() => {
    Promise.all([api.get<Version[]>(`${base}/versions`), api.get<Release[]>(`${base}/releases`)])
      .then(([v, r]) => { setVersions(v); setReleases(r); setError(null); })
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [base, t]);
  useEffect(load, [load]);
  useEffect(() => {
    api.get<Wallet[]>('/api/v1/wallets').then(setWallets).catch(() => undefined);
  }, []);

  const walletName = (id: string) => wallets.find((w) => w.id === id)?.name ?? id;

  const act = async (release: Release, action: string, extra: Record<string, unknown> = {}) => {
    try {
      const result = await api.post<Release>(`${base}/versions/${release.version}/${action}`, { target: release.target, ...extra });
      message.success(t('releases.done', { state: t(`state.${result?.state ?? release.state}` as never) }));
      load();
    } catch (e) {
      if (!isSessionExpired(e)) message.error(describe(e, t));
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <UploadForm base={base} onUploaded={load} />
      <Table<Version>
        rowKey="version" id="versions-table" dataSource={versions} pagination={{ pageSize: 10 }}
        locale={{ emptyText: t('versions.none') }}
        columns={[
          { title: t('versions.version'), dataIndex: 'version' },
          { title: t('versions.description'), dataIndex: 'description' },
          { title: t('versions.size'), dataIndex: 'size', render: (s: number) => `${(s / 1024).toFixed(1)} KB` },
          { title: t('versions.uploadedBy'), dataIndex: 'uploadedBy', render: (by: string) => (by === currentUser().id ? t('members.you') : by) },
          { title: t('common.actions'), key: 'a', render: (_, v) => <Button size="small" id={`submit-${v.version}`} onClick={() => setSubmitting(v.version)}>{t('versions.submit')}</Button> },
        ]}
      />
      <Typography.Title level={4}>{t('releases.title')}</Typography.Title>
      <Table<Release>
        rowKey={(r) => `${r.target.wallet}/${r.target.environment}/${r.version}`} id="releases-table"
        dataSource={releases} pagination={{ pageSize: 10 }} locale={{ emptyText: t('releases.none') }}
        columns={[
          { title: t('releases.target'), key: 'target', render: (_, r) => `${walletName(r.target.wallet)} · ${r.target.environment}` },
          { title: t('versions.version'), dataIndex: 'version' },
          {
            title: t('common.state'), key: 'state', render: (_, r) => (
              <Space direction="vertical" size={0}>
                <Tag color={STATE_COLORS[r.state]} className="release-state">{t(`state.${r.state}` as never)}{r.state === 'GRAYSCALE' ? ` ${r.grayPercent}%` : ''}</Tag>
                {r.rejectReason && <Typography.Text type="danger">{t('releases.rejected', { reason: r.rejectReason })}</Typography.Text>}
                {r.pilotUserIds.length > 0 && <Typography.Text type="secondary">{r.pilotUserIds.join(', ')}</Typography.Text>}
              </Space>
            ),
          },
          { title: t('common.actions'), key: 'actions', render: (_, r) => <ReleaseActions release={r} act={act} /> },
        ]}
      />
      <SubmitModal version={submitting} wallets={wallets} base={base}
                   onClose={(done) => { setSubmitting(null); if (done) load(); }} />
    </Space>
  );
}

function UploadForm({ base, onUploaded }: { base: string; onUploaded: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ version: string; description: string }>();
  const file = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [packageError, setPackageError] = useState<string | null>(null);

  const submit = async (values: { version: string; description: string }) => {
    setPackageError(null);
    if (!chosen) {
      setPackageError(t('rule.required'));
      return;
    }
    const data = new FormData();
    data.append('version', values.version);
    data.append('description', values.description ?? '');
    data.append('package', chosen, chosen.name);
    setProgress(0);
    try {
      await upload(`${base}/versions`, data, setProgress);
      message.success(t('versions.uploaded', { version: values.version }));
      form.resetFields();
      setChosen(null);
      if (file.current) file.current.value = '';
      onUploaded();
    } catch (e) {
      if (isSessionExpired(e)) return;
      if (e instanceof ApiError && e.status === 400 && e.errors.length) {
        const leftover = showFieldErrors(form, e, (p) => ['version', 'description'].includes(p[0]));
        const pkg = e.errors.filter((x) => x.field === 'package').map((x) => x.message);
        setPackageError([...pkg, ...leftover.filter((l) => !l.startsWith('package'))].join('; ') || null);
      } else {
        setPackageError(describe(e, t));
      }
    } finally {
      setProgress(null);
    }
  };

  return (
    <Form form={form} name="version" layout="inline" onFinish={submit}>
      <Form.Item name="version" label={t('versions.version')}
                 rules={[{ validator: async (_, v) => { const p = checkVersion(v); if (p) throw new Error(ruleMessage(p, t)); } }]}>
        <Input placeholder="1.0.0" style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="description" label={t('versions.description')}>
        <Input style={{ width: 220 }} />
      </Form.Item>
      <Form.Item label={t('versions.package')} validateStatus={packageError ? 'error' : undefined} help={packageError ?? chosen?.name}>
        <input ref={file} id="package-file" type="file" accept=".zip,application/zip" aria-label={t('versions.package')}
               style={{ display: 'none' }} onChange={(e) => { setChosen(e.target.files?.[0] ?? null); setPackageError(null); }} />
        <Button onClick={() => file.current?.click()}>{t('versions.choose')}</Button>
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" id="upload-version" loading={progress !== null}>{t('versions.upload')}</Button>
      </Form.Item>
      {progress !== null && <Progress percent={progress} style={{ width: 200 }} aria-label="upload progress" />}
    </Form>
  );
}

function SubmitModal({ version, wallets, base, onClose }: { version: string | null; wallets: Wallet[]; base: string; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Target>();
  const [error, setError] = useState<string | null>(null);
  const submit = async (target: Target) => {
    setError(null);
    try {
      const result = await api.post<Release>(`${base}/versions/${version}/submit`, { target });
      message.success(t('versions.submitted', { state: t(`state.${result.state}` as never) }));
      onClose(true);
    } catch (e) {
      if (isSessionExpired(e)) return;
      if (e instanceof ApiError && e.status === 400 && e.errors.length) {
        const leftover = showFieldErrors(form, new ApiError(400, e.title, e.detail,
          e.errors.map((x) => ({ ...x, field: x.field.replace(/^target\./, '') })), e.type), (p) => ['wallet', 'environment'].includes(p[0]));
        setError(leftover.join('; ') || null);
      } else {
        setError(describe(e, t));
      }
    }
  };
  return (
    <Modal open={version !== null} title={t('versions.submitTo', { version: version ?? '' })} onCancel={() => onClose(false)}
           onOk={() => form.submit()} okText={t('versions.submit')} okButtonProps={{ id: 'submit-confirm' }} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} name="target" layout="vertical" onFinish={submit} initialValues={{ environment: 'PROD', wallet: wallets[0]?.id }}>
        <Form.Item name="wallet" label={t('versions.wallet')} rules={[{ required: true, message: t('rule.required') }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={wallets.map((w) => ({ value: w.id, label: w.name }))} />
        </Form.Item>
        <Form.Item name="environment" label={t('versions.environment')} rules={[{ required: true, message: t('rule.required') }]}>
          <Select options={['DEV', 'TEST', 'PROD'].map((e) => ({ value: e, label: e }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReleaseActions({ release, act }: { release: Release; act: (r: Release, action: string, extra?: Record<string, unknown>) => Promise<void> }) {
  const { t } = useI18n();
  const allowed = new Set(release.allowedActions ?? []);
  const floor = release.state === 'GRAYSCALE' ? release.grayPercent ?? 1 : 1;
  const [gray, setGray] = useState<number>(Math.max(floor, 10));
  const [pilotOpen, setPilotOpen] = useState(false);
  const [pilotUsers, setPilotUsers] = useState(release.pilotUserIds.join('\n'));
  const key = `${release.target.environment}-${release.version}`;

  return (
    <Space direction="vertical" size="small" style={{ minWidth: 280 }}>
      {allowed.has('submit') && <Button size="small" onClick={() => act(release, 'submit')}>{t('versions.submit')}</Button>}
      {allowed.has('release') && (
        <Space wrap>
          <span style={{ width: 140, display: 'inline-block' }}>
            <Slider min={floor} max={100} value={gray} onChange={(v) => setGray(Math.max(floor, v))}
                    ariaLabelForHandle={t('releases.grayPercent')} tooltip={{ formatter: (v) => `${v}%` }} />
          </span>
          <Button size="small" id={`gray-${key}`} onClick={() => act(release, 'release', { grayPercent: gray })}>{t('releases.gray')} {gray}%</Button>
          <Button size="small" type="primary" id={`full-${key}`} onClick={() => act(release, 'release', { grayPercent: 100 })}>{t('releases.full')}</Button>
        </Space>
      )}
      {allowed.has('pilot') && (
        <>
          <Button size="small" onClick={() => setPilotOpen(true)}>{t('releases.pilot')}</Button>
          <Modal open={pilotOpen} title={t('releases.pilot')} onCancel={() => setPilotOpen(false)}
                 onOk={() => { setPilotOpen(false); void act(release, 'pilot', { userIds: pilotUsers.split('\n').map((s) => s.trim()).filter(Boolean) }); }}>
            <label htmlFor={`pilot-${key}`}>{t('releases.pilotUsers')}</label>
            <Input.TextArea id={`pilot-${key}`} rows={5} value={pilotUsers} onChange={(e) => setPilotUsers(e.target.value)} />
          </Modal>
        </>
      )}
      <Space wrap>
        {allowed.has('cancel') && (
          <Confirm title={t('releases.cancelConfirm', { version: release.version })} onConfirm={() => act(release, 'cancel')}>
            <Button size="small" danger>{t('releases.cancel')}</Button>
          </Confirm>
        )}
        {allowed.has('rollback') && (
          <Confirm title={t('releases.rollbackConfirm', { version: release.version })} onConfirm={() => act(release, 'rollback')}>
            <Button size="small" danger>{t('releases.rollback')}</Button>
          </Confirm>
        )}
        {allowed.has('offline') && (
          <Confirm title={t('releases.offlineConfirm', { version: release.version })} onConfirm={() => act(release, 'offline')}>
            <Button size="small" danger>{t('releases.offline')}</Button>
          </Confirm>
        )}
      </Space>
    </Space>
  );
}
