#!/usr/bin/env node
// Fails (exit 1) when docs/openapi.json lacks an operation or field the CLI uses (src/contract.js).
import { readFileSync } from 'node:fs';
import { contractViolations } from '../src/contract-check.js';

const file = process.argv[2] ?? '../docs/openapi.json';
const violations = contractViolations(JSON.parse(readFileSync(file, 'utf8')));
if (violations.length > 0) {
  console.error(`The CLI uses what ${file} no longer has:\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.log(`contract: every operation and field the CLI uses is in ${file}`);
