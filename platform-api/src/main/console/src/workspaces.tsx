import { Spin } from 'antd';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import { api, type Tenant } from './api';

interface Workspaces {
  tenants: Tenant[];
  reload: () => Promise<Tenant[]>;
}

const WorkspacesContext = createContext<Workspaces | null>(null);

export function WorkspacesProvider({ children }: { children: ReactNode }) {
  const [tenants, setTenants] = useState<Tenant[] | null>(null);
  const reload = useCallback(async () => {
    const list = await api.get<Tenant[]>('/api/v1/tenants');
    setTenants(list);
    return list;
  }, []);
  useEffect(() => {
    reload().catch(() => setTenants([]));
  }, [reload]);
  if (tenants === null) {
    return <Spin fullscreen />;
  }
  return <WorkspacesContext.Provider value={{ tenants, reload }}>{children}</WorkspacesContext.Provider>;
}

export function useWorkspaces(): Workspaces {
  const value = useContext(WorkspacesContext);
  if (!value) throw new Error('WorkspacesProvider missing');
  return value;
}

/** The workspace of the current route, if the user is a member of it. */
export function useCurrentTenant(): Tenant | undefined {
  const { tenantId } = useParams();
  const { tenants } = useWorkspaces();
  return tenants.find((t) => t.id === tenantId);
}

export function isManager(tenant: Tenant | undefined): boolean {
  return tenant?.role === 'OWNER' || tenant?.role === 'MASTER';
}
