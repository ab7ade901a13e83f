// Exit codes a CI can rely on, and RFC 9457 problems turned into lines that name the failing field.

export const EXIT = Object.freeze({
  OK: 0,
  USAGE: 1,
  AUTH: 2,
  NOT_FOUND: 3,
  VALIDATION: 4,
  CONFLICT: 5,
  SERVER: 6,
});

/** A failure with the exit code it ends the CLI with; `problem` is the server's problem body, when there was one. */
export class CliError extends Error {
  /**
   * @param {number} exitCode
   * @param {string} message
   * @param {{problem?: any, errors?: {field: string, code?: string, message: string}[]}} [details]
   */
  constructor(exitCode, message, details = {}) {
    super(message);
    this.exitCode = exitCode;
    this.problem = details.problem;
    this.errors = details.errors ?? details.problem?.errors ?? [];
  }
}

/** @param {number} status HTTP status of an API answer that is not a success */
export function exitCodeOf(status) {
  if (status === 401 || status === 403) {
    return EXIT.AUTH;
  }
  if (status === 404) {
    return EXIT.NOT_FOUND;
  }
  if (status === 400 || status === 413 || status === 422) {
    return EXIT.VALIDATION;
  }
  if (status === 409) {
    return EXIT.CONFLICT;
  }
  return EXIT.SERVER;
}

/**
 * The error of an API answer: its problem's detail (or title), and every errors[] entry.
 * @param {number} status @param {any} problem parsed body, or undefined when it was not JSON
 */
export function errorOf(status, problem) {
  const summary = problem?.detail || problem?.title || `HTTP ${status}`;
  const hint = status === 401 ? ' (run `mpp login`)' : '';
  return new CliError(exitCodeOf(status), `${summary}${hint}`, { problem });
}

/**
 * Lines for a person: the message, then one line per field error ("  version: must be major.minor.patch…"), then
 * the request id to quote to the operators.
 * @param {CliError} error
 */
export function formatError(error) {
  const lines = [`error: ${error.message}`];
  for (const e of error.errors) {
    lines.push(`  ${e.field}: ${e.message}${e.code ? ` [${e.code}]` : ''}`);
  }
  if (error.problem?.currentState) {
    lines.push(`  current state: ${error.problem.currentState}; allowed: ${(error.problem.allowedActions ?? []).join(', ') || 'none'}`);
  }
  if (error.problem?.requestId) {
    lines.push(`  request id: ${error.problem.requestId}`);
  }
  return lines.join('\n');
}

/** The same for scripts: one JSON object on stderr. @param {CliError} error */
export function errorJson(error) {
  return JSON.stringify({
    error: error.message,
    exitCode: error.exitCode,
    errors: error.errors,
    ...(error.problem ? { problem: error.problem } : {}),
  });
}
