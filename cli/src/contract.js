// Every API operation the CLI calls, with the request and response fields it reads or sends. The CLI reaches the
// API only through this table, and `npm run build` (scripts/check-contract.js) fails when docs/openapi.json, the
// platform's committed contract (kept equal to the served document by OpenApiDocumentIntegrationTest), no longer
// has one of them: an API change that would break the CLI breaks the build first.

/**
 * @typedef {{method: string, path: string, request?: string[], response: string[]}} Operation
 * Field paths: `a.b` descends into an object, `[]` into array items; the response is the 2xx answer's schema.
 */

export const OPERATIONS = Object.freeze({
  workspaces: {
    method: 'GET', path: '/api/v1/tenants',
    response: ['[].id', '[].kind', '[].name', '[].role'],
  },
  miniPrograms: {
    method: 'GET', path: '/api/v1/tenants/{tenantId}/mini-programs',
    response: ['items[].appId', 'items[].defaultLanguage', 'items[].localizations', 'items[].updatedAt', 'total', 'page', 'size'],
  },
  uploadVersion: {
    method: 'POST', path: '/api/v1/tenants/{tenantId}/mini-programs/{appId}/versions',
    response: ['version', 'sha256', 'size', 'description', 'createdAt'],
  },
  submit: {
    method: 'POST', path: '/api/v1/tenants/{tenantId}/mini-programs/{appId}/versions/{version}/submit',
    request: ['target.wallet', 'target.environment'],
    response: ['version', 'state', 'reviewId', 'target.wallet', 'target.environment'],
  },
  release: {
    method: 'POST', path: '/api/v1/tenants/{tenantId}/mini-programs/{appId}/versions/{version}/release',
    request: ['target.wallet', 'target.environment', 'grayPercent'],
    response: ['version', 'state', 'grayPercent', 'target.wallet', 'target.environment'],
  },
  releases: {
    method: 'GET', path: '/api/v1/tenants/{tenantId}/mini-programs/{appId}/releases',
    response: ['[].version', '[].state', '[].grayPercent', '[].target.wallet', '[].target.environment',
      '[].allowedActions', '[].updatedAt', '[].rejectReason'],
  },
  currentCiKey: {
    method: 'GET', path: '/api/v1/ci-key',
    response: ['id', 'workspaceId', 'name', 'clientId', 'appIds[]', 'allowSubmit'],
  },
  wallets: {
    method: 'GET', path: '/api/v1/wallets',
    response: ['[].id', '[].name'],
  },
  createPreview: {
    method: 'POST', path: '/api/v1/tenants/{tenantId}/mini-programs/{appId}/previews',
    response: ['id', 'appId', 'wallet', 'ticket', 'ticketExpiresAt', 'expiresAt', 'deepLink', 'qrSvg', 'sha256', 'size'],
  },
  domains: {
    method: 'GET', path: '/api/v1/tenants/{tenantId}/mini-programs/{appId}/domains',
    response: ['request[]', 'upload[]', 'download[]', 'socket[]', 'webView[]', 'revision'],
  },
  putDomains: {
    method: 'PUT', path: '/api/v1/tenants/{tenantId}/mini-programs/{appId}/domains',
    request: ['request[]', 'upload[]', 'download[]', 'socket[]', 'webView[]', 'revision'],
    response: ['request[]', 'upload[]', 'download[]', 'socket[]', 'webView[]', 'revision'],
  },
});

/** The problem body every error answer carries (application/problem+json). */
export const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'requestId', 'errors[].field', 'errors[].code',
  'errors[].message', 'currentState', 'allowedActions'];
