import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { en } from './messages/en';
import { zh } from './messages/zh';

export type Lang = 'en' | 'zh';
export type MessageKey = keyof typeof en;
const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, zh };

const STORAGE_KEY = 'console.language';

/** The browser's preference unless the user picked a language in the console (kept, it is no secret). */
export function initialLanguage(): Lang {
  const chosen = window.localStorage.getItem(STORAGE_KEY);
  if (chosen === 'en' || chosen === 'zh') return chosen;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const template = dictionaries[lang][key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(params?.[name] ?? `{${name}}`));
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLanguage);
  const value = useMemo<I18n>(() => ({
    lang,
    setLang: (next) => {
      window.localStorage.setItem(STORAGE_KEY, next);
      document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
      setLangState(next);
    },
    t: (key, params) => translate(lang, key, params),
  }), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('I18nProvider missing');
  return value;
}
