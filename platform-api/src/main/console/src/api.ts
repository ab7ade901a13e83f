import { freshToken, loginAgain, SessionExpired } from './auth';

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** An RFC 9457 problem from the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[],
    readonly type: string,
  ) {
    super(detail || title);
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = await response.json();
  } catch {
    // not a problem body: the status alone must do
  }
  return new ApiError(response.status, String(body.title ?? response.statusText), String(body.detail ?? ''),
    (body.errors as FieldError[] | undefined) ?? [], String(body.type ?? ''));
}

export async function request<T>(method: string, path: string, body?: unknown, raw?: { bytes: Blob; type: string }): Promise<T> {
  const token = await freshToken();
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (raw) {
    headers['Content-Type'] = raw.type;
    payload = raw.bytes;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'network', '', [], '');
  }
  if (response.status === 401) {
    await loginAgain();
    throw new SessionExpired();
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  if (response.status === 204 || response.headers.get('Content-Length') === '0') {
    return undefined as T;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T,>(path: string) => request<T>('GET', path),
  post: <T,>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T,>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T,>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T,>(path: string) => request<T>('DELETE', path),
  putBytes: <T,>(path: string, bytes: Blob, type: string) => request<T>('PUT', path, undefined, { bytes, type }),
};

/** Multipart upload with progress (fetch cannot report upload progress). */
export async function upload<T>(path: string, form: FormData, onProgress: (percent: number) => void): Promise<T> {
  const token = await freshToken();
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', '', [], ''));
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText || '{}');
      } catch {
        // keep the status
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100);
        resolve(body as T);
      } else {
        reject(new ApiError(xhr.status, String(body.title ?? ''), String(body.detail ?? ''),
          (body.errors as FieldError[] | undefined) ?? [], String(body.type ?? '')));
      }
    };
    xhr.send(form);
  });
}

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

export type Role = 'OWNER' | 'MASTER' | 'DEVELOPER';

export interface Tenant {
  id: string;
  kind: 'MERCHANT' | 'ISV';
  name: string;
  role: Role;
  createdAt: string;
}

export interface Texts {
  name: string;
  tagline: string;
  description: string;
}

export interface MiniProgram {
  appId: string;
  defaultLanguage: string;
  releaseTo: string[];
  industry: string;
  localizations: Record<string, Texts>;
  servicePhone: string;
  serviceEmail: string;
  logo: { sha256: string; url: string } | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface Industry {
  code: string;
  parentCode: string | null;
  name: string;
  nameZh: string;
  selectable: boolean;
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  status: 'ACTIVE' | 'BLOCKED';
  miniPrograms: string[];
}

export interface Invitation {
  id: string;
  name: string;
  email: string;
  role: Role;
  miniPrograms: string[];
  status: string;
  createdAt: string;
  expiresAt: string;
}

export interface Version {
  version: string;
  description: string;
  sha256: string;
  size: number;
  uploadedBy: string;
  createdAt: string;
}

export interface Target {
  wallet: string;
  environment: 'DEV' | 'TEST' | 'PROD';
}

export interface Release {
  target: Target;
  version: string;
  state: string;
  grayPercent: number | null;
  pilotUserIds: string[];
  rejectReason: string | null;
  reviewId: string | null;
  updatedAt: string;
  allowedActions: string[];
}

export interface Review {
  id: string;
  tenantId: string;
  appId: string;
  version: string;
  /** Null for a template version's review (kind TEMPLATE_VERSION), which has no target. */
  target: Target | null;
  templateId: string | null;
  status: string;
  reason: string | null;
  submittedBy: string;
  decidedBy: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface CiKey {
  id: string;
  workspaceId: string;
  name: string;
  clientId: string;
  appIds: string[];
  allowSubmit: boolean;
  allowedSources: string[];
  createdBy: string;
  createdAt: string;
  notBefore: string;
  revokedAt?: string;
  revokedBy?: string;
  /** only in the answer that created or rotated the key */
  clientSecret?: string;
  key?: string;
  tokenUrl?: string;
}

export interface Wallet {
  id: string;
  name: string;
  clientId?: string;
  sandboxReview?: boolean;
  createdAt?: string;
  clientSecret?: string;
}

export interface AuditEvent {
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
}

export interface Service {
  id: string;
  isvId: string;
  isv: string;
  type: string;
  name: string;
  description: string;
  industries: string[];
  scopes: string[];
  state: string;
  reason?: string;
  createdAt: string;
}

export interface Authorization {
  id: string;
  isv: string;
  isvName: string;
  service: string;
  scopes: string[];
  state: string;
  requestedBy?: string;
  requestedAt?: string;
  grantedBy?: string;
  grantedAt?: string;
  revokedAt?: string;
  authorizeUrl?: string;
}

export interface AuthorizedMerchant {
  merchant: string;
  merchantName: string;
  service: string;
  serviceName: string;
  scopes: string[];
  state: string;
  grantedAt: string | null;
  revokedAt: string | null;
}

export interface WebhookDelivery {
  id: string;
  type: string;
  merchant: string;
  occurredAt: string;
  state: string;
  attempts: number;
  nextAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  deliveredAt?: string;
}

/** What a workspace uses of its quotas (GET …/usage). */
export interface Usage {
  storageBytes: number;
  storageQuotaBytes: number;
  miniPrograms: number;
  miniProgramQuota: number;
}

export const tenantPath = (tenantId: string, rest = '') => `/api/v1/tenants/${tenantId}${rest}`;

/** A sample of the platform's gallery (GET /api/v1/samples). */
export interface Sample {
  id: string;
  version: string;
  names: Record<string, string>;
  descriptions: Record<string, string>;
  industry: string;
  pages: string[];
  extSchema: Record<string, unknown>;
  extDefaults: Record<string, unknown>;
  sha256: string;
  size: number;
  packageUrl: string;
}
