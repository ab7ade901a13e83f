import { OPERATIONS, PROBLEM_FIELDS } from './contract.js';

/**
 * What the CLI uses that the OpenAPI document does not have, one line each; empty when all is there.
 * @param {any} document an OpenAPI 3 document
 * @returns {string[]}
 */
export function contractViolations(document) {
  const violations = [];
  for (const [name, op] of Object.entries(OPERATIONS)) {
    const operation = document.paths?.[op.path]?.[op.method.toLowerCase()];
    if (!operation) {
      violations.push(`${name}: ${op.method} ${op.path} is not in the document`);
      continue;
    }
    const requestSchema = firstSchema(operation.requestBody?.content);
    for (const field of op.request ?? []) {
      if (!has(document, requestSchema, field)) {
        violations.push(`${name}: request field ${field} of ${op.method} ${op.path}`);
      }
    }
    const success = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'));
    const responseSchema = firstSchema(success?.[1]?.content);
    for (const field of op.response) {
      if (!has(document, responseSchema, field)) {
        violations.push(`${name}: response field ${field} of ${op.method} ${op.path}`);
      }
    }
  }
  const problem = document.components?.schemas?.Problem;
  for (const field of PROBLEM_FIELDS) {
    if (!has(document, problem, field)) {
      violations.push(`problem: field ${field} of the Problem schema`);
    }
  }
  return violations;
}

/** @param {any} content */
function firstSchema(content) {
  return content ? Object.values(content)[0]?.schema : undefined;
}

/** @param {any} document @param {any} schema @param {string} path */
function has(document, schema, path) {
  let current = resolve(document, schema);
  for (const step of path.split(/\.|(?=\[\])/).filter(Boolean)) {
    if (!current) {
      return false;
    }
    if (step === '[]') {
      current = current.type === 'array' ? resolve(document, current.items) : undefined;
      continue;
    }
    const name = step.endsWith('[]') ? step.slice(0, -2) : step;
    current = resolve(document, current.properties?.[name]);
    if (step.endsWith('[]')) {
      current = current?.type === 'array' ? resolve(document, current.items) : undefined;
    }
  }
  return current !== undefined;
}

/** @param {any} document @param {any} schema */
function resolve(document, schema) {
  let current = schema;
  for (let i = 0; current?.$ref && i < 10; i++) {
    current = current.$ref.replace(/^#\//, '').split('/').reduce((/** @type {any} */ node, key) => node?.[key], document);
  }
  return current;
}
