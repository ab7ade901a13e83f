import { Button, Card, List, Space, Steps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { Invitation, MiniProgram } from '../api';
import { InviteForm } from '../components/InviteForm';
import { MiniProgramForm } from '../components/MiniProgramForm';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../Shell';

/**
 * The owner's quickstart: step 1 creates the mini program (or invites a master to create it), step 2 invites
 * members; "Skip for now" and "Enter Console" lead to the console.
 */
export function WizardPage() {
  const { t } = useI18n();
  const { tenantId } = useParams();
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [byMaster, setByMaster] = useState(false);
  const [created, setCreated] = useState<MiniProgram[]>([]);
  const [invited, setInvited] = useState<Invitation[]>([]);
  const console = () => navigate(`/w/${tenantId}/mini-programs`);

  return (
    <div style={{ maxWidth: 860, margin: '32px auto', padding: 16 }}>
      <header>
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
          <Typography.Title level={2} style={{ margin: 0 }}>{t('wizard.title')}</Typography.Title>
          <LanguageSwitch />
        </Space>
      </header>
      <main>
        <Steps current={step} style={{ marginBottom: 24 }}
               items={[{ title: t('wizard.step1') }, { title: t('wizard.step2') }]} />
        <Card>
          {step === 0 && !byMaster && (
            <MiniProgramForm
              tenantId={tenantId!}
              submitLabel={t('common.next')}
              onSaved={(program) => { setCreated([program]); setStep(1); }}
              extraButtons={<>
                <Button onClick={() => setByMaster(true)} id="wizard-invite-master">{t('wizard.inviteMaster')}</Button>
                <Button type="link" onClick={console} id="wizard-skip">{t('wizard.skip')}</Button>
              </>}
            />
          )}
          {step === 0 && byMaster && (
            <>
              <Typography.Paragraph>{t('wizard.inviteMasterIntro')}</Typography.Paragraph>
              <InviteForm tenantId={tenantId!} miniPrograms={[]} fixedRole="MASTER"
                          onInvited={(inv) => { setInvited([inv]); setStep(1); }} />
              <Button type="link" onClick={() => setByMaster(false)} style={{ marginTop: 8 }}>{t('common.back')}</Button>
            </>
          )}
          {step === 1 && (
            <>
              <InviteForm tenantId={tenantId!} miniPrograms={created}
                          onInvited={(inv) => setInvited((list) => [...list, inv])} />
              {invited.length > 0 && (
                <List style={{ marginTop: 16 }} header={t('wizard.invitedList')} dataSource={invited}
                      renderItem={(inv) => (
                        <List.Item>{inv.name} · {inv.email} <Tag>{t(`role.${inv.role}`)}</Tag></List.Item>
                      )} />
              )}
              <Space style={{ marginTop: 24 }}>
                <Button type="primary" onClick={console} id="wizard-enter-console">{t('wizard.enterConsole')}</Button>
                <Button type="link" onClick={console} id="wizard-skip-members">{t('wizard.skip')}</Button>
              </Space>
            </>
          )}
        </Card>
      </main>
    </div>
  );
}
