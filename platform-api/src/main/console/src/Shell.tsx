import { Button, Layout, Menu, Select, Space, Typography } from 'antd';
import { Outlet, useLocation, useNavigate, useParams } from 'react-router-dom';
import { currentUser, logout } from './auth';
import { useI18n, type Lang } from './i18n';
import { isManager, useWorkspaces } from './workspaces';

const { Header, Sider, Content } = Layout;

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Select<Lang>
      aria-label={t('app.language')}
      id="language-switch"
      value={lang}
      onChange={setLang}
      style={{ width: 110 }}
      options={[{ value: 'en', label: 'English' }, { value: 'zh', label: '简体中文' }]}
    />
  );
}

export function Shell() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const { tenantId } = useParams();
  const { tenants } = useWorkspaces();
  const user = currentUser();
  const tenant = tenants.find((x) => x.id === tenantId) ?? (tenantId ? undefined : tenants[0]);
  const base = tenant ? `/w/${tenant.id}` : '';

  const items = [];
  if (tenant) {
    items.push({ key: `${base}/mini-programs`, label: t('nav.miniPrograms') });
    if (isManager(tenant)) {
      items.push({ key: `${base}/members`, label: t('nav.members') });
      items.push({ key: `${base}/audit`, label: t('nav.audit') });
      items.push({ key: `${base}/ci-keys`, label: t('nav.ciKeys') });
    }
    if (tenant.kind === 'ISV') {
      items.push({ key: `${base}/services`, label: t('nav.services') });
      if (isManager(tenant)) {
        items.push({ key: `${base}/isv-application`, label: t('nav.isvApplication') });
        items.push({ key: `${base}/webhooks`, label: t('nav.webhooks') });
      }
    } else {
      items.push({ key: `${base}/authorizations`, label: t('nav.authorizations') });
    }
    items.push({ key: `${base}/samples`, label: t('nav.samples') });
    items.push({ key: `${base}/testers`, label: t('nav.testers') });
  }
  if (user.realmRoles.includes('platform-reviewer')) items.push({ key: '/reviews', label: t('nav.reviews') });
  if (user.realmRoles.includes('platform-admin')) items.push({ key: '/admin/wallets', label: t('nav.wallets') });
  const selected = items.map((i) => i.key).filter((k) => location.pathname.startsWith(k));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider width={220} theme="light" breakpoint="lg" collapsedWidth={0}>
        <div style={{ padding: 16 }}>
          <Typography.Title level={5} style={{ margin: 0 }}>{t('app.title')}</Typography.Title>
        </div>
        <nav aria-label={t('app.title')}>
          <Menu mode="inline" selectedKeys={selected} items={items} onClick={({ key }) => navigate(key)} />
        </nav>
      </Sider>
      <Layout>
        <Header style={{ background: '#fff', display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '0 24px' }}>
          <Space>
            {tenants.length > 0 && (
              <Select
                aria-label={t('app.workspace')}
                id="workspace-switch"
                style={{ minWidth: 240 }}
                value={tenant?.id}
                onChange={(id) => navigate(`/w/${id}/mini-programs`)}
                options={tenants.map((x) => ({ value: x.id, label: `${x.name} · ${t(`role.${x.role}`)}` }))}
              />
            )}
            <Button type="link" onClick={() => navigate('/welcome')}>{t('nav.newWorkspace')}</Button>
          </Space>
          <Space>
            <LanguageSwitch />
            <Typography.Text id="current-user">{user.name || user.username}</Typography.Text>
            <Button onClick={() => void logout()}>{t('app.logout')}</Button>
          </Space>
        </Header>
        {/* antd's Content is the page's <main> landmark */}
        <Content style={{ margin: 24 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
