import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contractViolations } from '../src/contract-check.js';

const DOCUMENT = join(dirname(fileURLToPath(import.meta.url)), '../../docs/openapi.json');
const read = () => JSON.parse(readFileSync(DOCUMENT, 'utf8'));

test('docs/openapi.json has every operation and field the CLI uses', () => {
  assert.deepEqual(contractViolations(read()), []);
});

test('a renamed response field, a removed path and a changed problem are each reported', () => {
  const document = read();
  const release = document.components.schemas.ReleaseView.properties;
  release.percent = release.grayPercent;
  delete release.grayPercent;
  delete document.paths['/api/v1/wallets'];
  delete document.components.schemas.FieldError.properties.field;
  const violations = contractViolations(document);
  assert.ok(violations.includes('release: response field grayPercent of POST /api/v1/tenants/{tenantId}/mini-programs/{appId}/versions/{version}/release'), violations.join('\n'));
  assert.ok(violations.includes('releases: response field [].grayPercent of GET /api/v1/tenants/{tenantId}/mini-programs/{appId}/releases'));
  assert.ok(violations.includes('wallets: GET /api/v1/wallets is not in the document'));
  assert.ok(violations.includes('problem: field errors[].field of the Problem schema'));
});

test('a request field the CLI sends is checked too', () => {
  const document = read();
  delete document.components.schemas.ReleaseRequest.properties.grayPercent;
  assert.deepEqual(contractViolations(document),
    ['release: request field grayPercent of POST /api/v1/tenants/{tenantId}/mini-programs/{appId}/versions/{version}/release']);
});
