import { Alert, App, Button, Card, Form, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError, tenantPath, upload, type Wallet } from '../api';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';
import { Confirm } from '../components/Confirm';
import { countdown, type IssuedPreview, type Preview } from '../preview';

/** Upload a package as a preview for one wallet, and show its QR code, deep link and countdown. */
export function PreviewPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { tenantId, appId } = useParams();
  const base = tenantPath(tenantId!, `/mini-programs/${appId}/previews`);
  const [wallets, setWallets] = useState<Wallet[]>([]);
  const [wallet, setWallet] = useState<string | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [issued, setIssued] = useState<IssuedPreview | null>(null);
  const [previews, setPreviews] = useState<Preview[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());

  const load = useCallback(() => {
    api.get<Preview[]>(base)
      .then((p) => { setPreviews(p); setError(null); })
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [base, t]);
  useEffect(load, [load]);
  useEffect(() => {
    api.get<Wallet[]>('/api/v1/wallets').then(setWallets).catch(() => undefined);
  }, []);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const walletName = (id: string) => wallets.find((w) => w.id === id)?.name ?? id;

  const send = async () => {
    if (!wallet || !file) {
      setError(t('preview.choose'));
      return;
    }
    const form = new FormData();
    form.append('package', file, file.name);
    setProgress(0);
    try {
      const result = await upload<IssuedPreview>(`${base}?wallet=${encodeURIComponent(wallet)}`, form, setProgress);
      setIssued(result);
      setError(null);
      load();
    } catch (e) {
      if (isSessionExpired(e)) return;
      setError(e instanceof ApiError && e.errors.length ? e.errors.map((x) => x.message).join(' ') : describe(e, t));
    } finally {
      setProgress(null);
    }
  };

  const run = async (call: () => Promise<unknown>) => {
    try {
      await call();
      load();
    } catch (e) {
      if (!isSessionExpired(e)) message.error(describe(e, t));
    }
  };
  const renew = (p: Preview) => run(async () => setIssued(await api.post<IssuedPreview>(`${base}/${p.id}/ticket`)));
  const remove = (p: Preview) => run(async () => {
    await api.del(`${base}/${p.id}`);
    if (issued?.id === p.id) setIssued(null);
  });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('preview.title', { appId: appId! })}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('preview.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Form layout="inline" id="preview-form" onFinish={send}>
        <Form.Item label={t('testers.wallet')} htmlFor="preview-wallet">
          <Select id="preview-wallet" style={{ minWidth: 220 }} value={wallet} onChange={setWallet} showSearch={{ optionFilterProp: 'label' }}
            options={wallets.map((w) => ({ value: w.id, label: w.name }))} />
        </Form.Item>
        <Form.Item label={t('preview.package')} htmlFor="preview-package">
          <input id="preview-package" type="file" accept=".zip,application/zip"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" id="upload-preview" loading={progress !== null}>
            {progress !== null ? `${progress}%` : t('preview.upload')}
          </Button>
        </Form.Item>
      </Form>
      {issued && (
        <Card id="preview-issued" title={t('preview.scan', { wallet: walletName(issued.wallet) })}>
          <Space align="start" size="large" wrap>
            {/* at its own size (≥ 320 px, whole pixels per module): scaling by a fraction would blur the modules */}
            <img id="preview-qr" src={issued.qrPng} alt={t('preview.qrAlt')} style={{ imageRendering: 'pixelated' }} />
            <Space direction="vertical">
              <Typography.Text strong>{t('preview.deepLink')}</Typography.Text>
              <Typography.Text id="preview-deep-link" code copyable={{ text: issued.deepLink }}>{issued.deepLink}</Typography.Text>
              <Typography.Text id="preview-ticket-countdown" role="timer" aria-live="off">
                {t('preview.ticketExpiresIn', { time: countdown(issued.ticketExpiresAt, now) })}
              </Typography.Text>
              <Typography.Text type="secondary">
                {t('preview.expiresIn', { time: countdown(issued.expiresAt, now) })}
              </Typography.Text>
              <a href={issued.qrSvg} download={`preview-${issued.appId}.svg`}>{t('preview.downloadSvg')}</a>
            </Space>
          </Space>
        </Card>
      )}
      <Table<Preview>
        rowKey="id" id="previews-table" dataSource={previews} pagination={false}
        locale={{ emptyText: t('preview.none') }}
        columns={[
          { title: t('testers.wallet'), key: 'wallet', render: (_, p) => walletName(p.wallet) },
          { title: t('versions.size'), dataIndex: 'size', render: (s: number) => `${(s / 1024).toFixed(1)} KB` },
          { title: t('preview.expires'), key: 'expires', render: (_, p) => countdown(p.expiresAt, now) },
          {
            title: t('common.actions'), key: 'a', render: (_, p) => (
              <Space>
                <Button size="small" onClick={() => renew(p)}>{t('preview.renew')}</Button>
                <Confirm title={t('common.confirm')} onConfirm={() => remove(p)}>
                  <Button size="small" danger>{t('common.delete')}</Button>
                </Confirm>
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
