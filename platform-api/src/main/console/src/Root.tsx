import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { I18nProvider, useI18n } from './i18n';
import { Shell } from './Shell';
import { WorkspacesProvider, useWorkspaces } from './workspaces';
import { WelcomePage } from './pages/WelcomePage';
import { WizardPage } from './pages/WizardPage';
import { MiniProgramsPage } from './pages/MiniProgramsPage';
import { MiniProgramEditPage } from './pages/MiniProgramEditPage';
import { MembersPage } from './pages/MembersPage';
import { InvitationPage } from './pages/InvitationPage';
import { AuditPage } from './pages/AuditPage';
import { ReviewsPage } from './pages/ReviewsPage';
import { WalletsPage } from './pages/WalletsPage';
import { ServicesPage } from './pages/ServicesPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { AuthorizationsPage } from './pages/AuthorizationsPage';
import { IsvApplicationPage } from './pages/IsvApplicationPage';
import { currentUser } from './auth';
import { SamplesPage } from './pages/SamplesPage';
import { SampleStartPage } from './pages/SampleStartPage';
import { TestersPage } from './pages/TestersPage';
import { CiKeysPage } from './pages/CiKeysPage';
import { PreviewPage } from './pages/PreviewPage';

function Home() {
  const { tenants } = useWorkspaces();
  const user = currentUser();
  if (tenants.length > 0) return <Navigate to={`/w/${tenants[0].id}/mini-programs`} replace />;
  if (user.realmRoles.includes('platform-reviewer')) return <Navigate to="/reviews" replace />;
  if (user.realmRoles.includes('platform-admin')) return <Navigate to="/admin/wallets" replace />;
  return <Navigate to="/welcome" replace />;
}

/**
 * Ant Design's default blue (#1677ff), red and gray secondary texts fall short of WCAG AA contrast (4.5:1) for
 * normal text: white on #1677ff (and that blue on white: buttons, links) is 4.1:1, #8c8c8c on white 3.4:1. These darker shades of the same palette pass.
 */
const THEME = {
  token: {
    colorPrimary: '#0958d9',
    colorInfo: '#0958d9',
    colorLink: '#0958d9',
    colorError: '#cf1322',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    // a select's placeholder is text like any other (#bfbfbf on white is 1.8:1)
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  },
};

function Localized() {
  const { lang } = useI18n();
  return (
    // no space put between two Chinese characters of a button ("删 除"): a screen reader's name would no longer
    // contain the visible text (axe: label-content-name-mismatch)
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <BrowserRouter basename="/console">
          <WorkspacesProvider>
            <Routes>
              <Route path="/invitations" element={<InvitationPage />} />
              <Route path="/welcome" element={<WelcomePage />} />
              <Route path="/w/:tenantId/wizard" element={<WizardPage />} />
              <Route element={<Shell />}>
                <Route path="/" element={<Home />} />
                <Route path="/w/:tenantId/mini-programs" element={<MiniProgramsPage />} />
                <Route path="/w/:tenantId/mini-programs/new" element={<MiniProgramEditPage />} />
                <Route path="/w/:tenantId/mini-programs/:appId" element={<MiniProgramEditPage />} />
                <Route path="/w/:tenantId/members" element={<MembersPage />} />
                <Route path="/w/:tenantId/audit" element={<AuditPage />} />
                <Route path="/w/:tenantId/services" element={<ServicesPage />} />
                <Route path="/w/:tenantId/webhooks" element={<WebhooksPage />} />
                <Route path="/w/:tenantId/isv-application" element={<IsvApplicationPage />} />
                <Route path="/w/:tenantId/authorizations" element={<AuthorizationsPage />} />
                <Route path="/w/:tenantId/samples" element={<SamplesPage />} />
                <Route path="/w/:tenantId/samples/:sampleId/:version/start" element={<SampleStartPage />} />
                <Route path="/w/:tenantId/testers" element={<TestersPage />} />
                <Route path="/w/:tenantId/ci-keys" element={<CiKeysPage />} />
                <Route path="/w/:tenantId/mini-programs/:appId/preview" element={<PreviewPage />} />
                <Route path="/reviews" element={<ReviewsPage />} />
                <Route path="/admin/wallets" element={<WalletsPage />} />
                <Route path="*" element={<Navigate to="/" replace />} />
              </Route>
            </Routes>
          </WorkspacesProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function Root() {
  return (
    <I18nProvider>
      <Localized />
    </I18nProvider>
  );
}
