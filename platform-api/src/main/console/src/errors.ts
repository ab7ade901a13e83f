import type { FormInstance } from 'antd';
import { ApiError } from './api';
import { SessionExpired } from './auth';
import type { MessageKey } from './i18n';
import { fieldPath, type Problem } from './rules';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** One sentence a person can act on; never the raw problem JSON. */
export function describe(error: unknown, t: T): string {
  if (error instanceof ApiError) {
    switch (error.status) {
      case 0: return t('error.network');
      case 400: return error.errors.length ? t('error.400') : (error.detail || t('error.400'));
      case 401: return t('error.401');
      case 403: return t('error.403');
      case 404: return t('error.404');
      case 409: return error.type.endsWith(':quota-exceeded') ? t('error.quota')
        : t('error.409', { detail: error.detail || error.title });
      case 413: return error.detail || t('error.413');
      case 415: return error.detail || t('error.415');
      case 429: return t('error.429');
      default: return t('error.other', { status: error.status });
    }
  }
  return t('error.other', { status: '?' });
}

/**
 * Puts every field error of a 400 problem next to its field in the form. Returns the errors that name no field
 * of this form, so the caller can show them in a general message.
 */
export function showFieldErrors(form: FormInstance, error: ApiError, knownFields: (path: string[]) => boolean): string[] {
  const leftover: string[] = [];
  const byField = new Map<string, { name: string[]; errors: string[] }>();
  for (const e of error.errors) {
    const name = fieldPath(e.field);
    if (!knownFields(name)) {
      leftover.push(`${e.field}: ${e.message}`);
      continue;
    }
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(e.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()].map(({ name, errors }) => ({ name, errors })));
  return leftover;
}

export function isSessionExpired(error: unknown): boolean {
  return error instanceof SessionExpired;
}

export function ruleMessage(problem: Problem, t: T): string {
  return t(`rule.${problem.code}` as MessageKey, {
    min: problem.min ?? '', max: problem.max ?? '', actual: problem.actual ?? '',
  });
}
