import { Button, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { freshToken } from '../auth';
import { ruleMessage } from '../errors';
import { useI18n } from '../i18n';
import { checkLogo, logoFormat } from '../rules';

export interface ChosenLogo {
  file: Blob;
  type: string;
  previewUrl: string;
}

async function dimensions(url: string): Promise<{ width: number; height: number }> {
  return new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve({ width: image.naturalWidth, height: image.naturalHeight });
    image.onerror = () => resolve({ width: 0, height: 0 });
    image.src = url;
  });
}

/** Picks a logo and checks size, format and shape before anything is uploaded; shows it in a square. */
export function LogoPicker({ existingUrl, onChange }: { existingUrl?: string; onChange: (logo: ChosenLogo | null, problem: string | null) => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<string | null>(null);

  // The stored logo is behind the API's bearer token, so it is fetched and shown from memory.
  useEffect(() => {
    if (!existingUrl) return;
    let revoked: string | null = null;
    freshToken()
      .then((token) => fetch(existingUrl, { headers: { Authorization: `Bearer ${token}` } }))
      .then((r) => (r.ok ? r.blob() : null))
      .then((blob) => {
        if (blob) {
          revoked = URL.createObjectURL(blob);
          setPreview(revoked);
        }
      })
      .catch(() => undefined);
    return () => {
      if (revoked) URL.revokeObjectURL(revoked);
    };
  }, [existingUrl]);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const url = URL.createObjectURL(file);
    const { width, height } = logoFormat(bytes) ? await dimensions(url) : { width: 0, height: 0 };
    const problem = checkLogo(bytes, width, height);
    if (problem) {
      URL.revokeObjectURL(url);
      onChange(null, ruleMessage(problem, t));
      return;
    }
    setPreview(url);
    onChange({ file, type: logoFormat(bytes)!, previewUrl: url }, null);
  };

  return (
    <Space align="start">
      <div style={{ width: 96, height: 96, border: '1px dashed #d9d9d9', borderRadius: 8, display: 'flex', alignItems: 'center', justifyContent: 'center', overflow: 'hidden', background: '#fafafa' }}>
        {preview && <img src={preview} alt={t('mp.logo')} id="logo-preview" style={{ width: 96, height: 96, objectFit: 'cover' }} />}
      </div>
      <input ref={input} id="logo-file" type="file" accept=".png,.jpg,.jpeg,image/png,image/jpeg" aria-label={t('mp.logo')}
             style={{ display: 'none' }} onChange={(e) => void choose(e.target.files?.[0])} />
      <Button onClick={() => input.current?.click()}>{t('mp.logoChoose')}</Button>
    </Space>
  );
}
