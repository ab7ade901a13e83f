import { Alert, App, Button, Form, Input, Modal, Segmented, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, type Review, type Wallet } from '../api';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';

/** Platform reviewers: approve, or reject with a reason the merchant sees. */
export function ReviewsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [state, setState] = useState('PENDING');
  const [reviews, setReviews] = useState<Review[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<Review | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const [wallets, setWallets] = useState<Wallet[]>([]);
  // the queue is oldest first and can be long: a reviewer finds one mini program's review by its app id
  const [search, setSearch] = useState('');
  const shown = search.trim() === '' ? reviews
    : reviews.filter((r) => (r.appId ?? '').toLowerCase().includes(search.trim().toLowerCase()));
  useEffect(() => {
    api.get<Wallet[]>('/api/v1/wallets').then(setWallets).catch(() => undefined);
  }, []);
  const walletName = (id: string) => wallets.find((w) => w.id === id)?.name ?? id;

  const load = useCallback(() => {
    api.get<Review[]>(`/api/v1/reviews?state=${state}`)
      .then((r) => { setReviews(r); setError(null); })
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [state, t]);
  useEffect(load, [load]);

  const decide = async (review: Review, action: 'approve' | 'reject', reason?: string) => {
    try {
      await api.post(`/api/v1/reviews/${review.id}/${action}`, action === 'reject' ? { reason } : {});
      message.success(action === 'approve' ? t('reviews.approved') : t('reviews.rejected'));
      setRejecting(null);
      load();
    } catch (e) {
      if (!isSessionExpired(e)) message.error(describe(e, t));
    }
  };

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('reviews.title')}</Typography.Title>
        <Input id="reviews-search" allowClear placeholder={t('reviews.search')} aria-label={t('reviews.search')}
                      value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 280 }} />
        <Segmented value={state} onChange={(v) => setState(String(v))} options={['PENDING', 'APPROVED', 'REJECTED']} />
      </Space>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Table<Review>
        rowKey="id" id="reviews-table" dataSource={shown} pagination={{ pageSize: 10 }}
        columns={[
          { title: t('mp.appId'), dataIndex: 'appId' },
          { title: t('versions.version'), dataIndex: 'version' },
          { title: t('releases.target'), key: 'target', render: (_, r) => r.target ? `${walletName(r.target.wallet)} · ${r.target.environment}` : `template ${r.templateId}` },
          { title: t('reviews.submittedBy'), dataIndex: 'submittedBy' },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (d: string) => new Date(d).toLocaleString() },
          { title: t('reviews.reason'), dataIndex: 'reason' },
          {
            title: t('common.actions'), key: 'actions', render: (_, r) => r.status === 'PENDING' && (
              <Space>
                <Button size="small" type="primary" id={`approve-${r.appId}-${r.version}`} onClick={() => decide(r, 'approve')}>{t('reviews.approve')}</Button>
                <Button size="small" danger onClick={() => { form.resetFields(); setRejecting(r); }}>{t('reviews.reject')}</Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal open={rejecting !== null} title={t('reviews.reject')} onCancel={() => setRejecting(null)} onOk={() => form.submit()}
             okText={t('reviews.reject')} okButtonProps={{ danger: true }} destroyOnHidden>
        <Form form={form} name="reject" layout="vertical" onFinish={(v) => rejecting && decide(rejecting, 'reject', v.reason)}>
          <Form.Item name="reason" label={t('reviews.reason')} rules={[{ required: true, whitespace: true, message: t('reviews.reasonRequired') }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
