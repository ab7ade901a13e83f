import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorJson, errorOf, EXIT, exitCodeOf, formatError } from '../src/problem.js';

const PROBLEM = {
  type: 'urn:mini-program-platform:problem:validation', title: 'Invalid input', status: 400,
  detail: 'Some fields are invalid', requestId: 'req-42',
  errors: [{ field: 'version', code: 'format', message: 'must be major.minor.patch' },
    { field: 'package', code: 'manifest-pages', message: 'app.json must be a JSON object with a non-empty "pages" array' }],
};

test('each HTTP status ends the CLI with the exit code a CI can rely on', () => {
  assert.deepEqual([400, 401, 403, 404, 409, 413, 429, 500, 503].map(exitCodeOf),
    [EXIT.VALIDATION, EXIT.AUTH, EXIT.AUTH, EXIT.NOT_FOUND, EXIT.CONFLICT, EXIT.VALIDATION, EXIT.SERVER, EXIT.SERVER, EXIT.SERVER]);
  assert.deepEqual(Object.values(EXIT), [0, 1, 2, 3, 4, 5, 6]);
});

test('a problem prints its detail, one line per failing field, and the request id', () => {
  assert.equal(formatError(errorOf(400, PROBLEM)), [
    'error: Some fields are invalid',
    '  version: must be major.minor.patch [format]',
    '  package: app.json must be a JSON object with a non-empty "pages" array [manifest-pages]',
    '  request id: req-42',
  ].join('\n'));
});

test('a conflict says the current state and what is allowed', () => {
  const text = formatError(errorOf(409, { title: 'Conflict', status: 409, detail: 'cannot cancel a FULL_RELEASE',
    currentState: 'FULL_RELEASE', allowedActions: ['rollback', 'offline'] }));
  assert.match(text, /^error: cannot cancel a FULL_RELEASE\n {2}current state: FULL_RELEASE; allowed: rollback, offline$/);
});

test('a 401 tells the person to log in, and an answer without a problem body still says its status', () => {
  assert.equal(formatError(errorOf(401, { title: 'Unauthorized', status: 401 })), 'error: Unauthorized (run `mpp login`)');
  assert.equal(formatError(errorOf(502, undefined)), 'error: HTTP 502');
});

test('--json errors are one object with the exit code and the field errors', () => {
  const parsed = JSON.parse(errorJson(errorOf(400, PROBLEM)));
  assert.equal(parsed.exitCode, 4);
  assert.deepEqual(parsed.errors.map((/** @type {any} */ e) => e.field), ['version', 'package']);
  assert.equal(parsed.problem.requestId, 'req-42');
});
