import { Alert, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, tenantPath, type MiniProgram, type Sample } from '../api';
import { MiniProgramForm } from '../components/MiniProgramForm';
import { describe, isSessionExpired } from '../errors';
import { useI18n } from '../i18n';
import { sampleText } from './SamplesPage';

/**
 * A merchant's new mini program from a sample: the usual create form, sent with the sample in one call, so the
 * mini program starts with the sample's package as version 1 (its ext config the sample's defaults).
 */
export function SampleStartPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { tenantId, sampleId, version } = useParams();
  const [sample, setSample] = useState<Sample | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.get<Sample[]>('/api/v1/samples')
      .then((all) => {
        const found = all.find((s) => s.id === sampleId && s.version === version);
        if (found) setSample(found); else setError(t('error.404'));
      })
      .catch((e) => { if (!isSessionExpired(e)) setError(describe(e, t)); });
  }, [sampleId, version, t]);

  const create = async (body: object) => {
    const started = await api.post<{ miniProgram: MiniProgram }>(tenantPath(tenantId!, '/mini-programs:fromSample'),
      { ...body, sample: { id: sampleId, version } });
    return started.miniProgram;
  };

  return (
    <>
      <Typography.Title level={3}>
        {sample ? t('samples.startTitle', { sample: sampleText(sample.names, lang) }) : t('samples.title')}
      </Typography.Title>
      {sample && <Typography.Paragraph type="secondary">{t('samples.startIntro', { version: sample.version })}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      {sample && (
        <MiniProgramForm tenantId={tenantId!} submitLabel={t('common.create')} create={create}
                         onSaved={(p) => navigate(`/w/${tenantId}/mini-programs/${p.appId}`)} />
      )}
    </>
  );
}
