// The listing rules of tenant-model (DisplayWidth, CharacterCount, MiniProgramName, Tagline, Description,
// ServicePhone, ServiceEmail, Logo), mirrored so a merchant sees a problem while typing. The server checks
// everything again; these only save a round trip and must never be looser than the server.

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Mc}]$/u;
const WIDE_SCRIPT = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]$/u;
const WIDE_RANGES: Array<[number, number]> = [
  [0x3000, 0x303f], // CJK Symbols and Punctuation
  [0x3040, 0x30ff], // Hiragana and Katakana blocks
  [0xff01, 0xff60], // full-width ASCII variants
  [0xffe0, 0xffe6], // full-width signs
  [0x2600, 0x27bf], // miscellaneous symbols and dingbats
  [0x1f300, 0x1faff], // emoji and pictographs
];

function within(cp: number, first: number, last: number): boolean {
  return cp >= first && cp <= last;
}

export function isZeroWidth(cp: number): boolean {
  return ZERO_WIDTH.test(String.fromCodePoint(cp))
    || cp === 0x200d
    || within(cp, 0xfe00, 0xfe0f)
    || within(cp, 0xe0100, 0xe01ef);
}

function isWide(cp: number): boolean {
  if (within(cp, 0xff61, 0xffdc)) {
    return false; // half-width Katakana and Hangul
  }
  return WIDE_SCRIPT.test(String.fromCodePoint(cp)) || WIDE_RANGES.some(([a, b]) => within(cp, a, b));
}

function codePoints(text: string): number[] {
  return Array.from(text, (ch) => ch.codePointAt(0)!);
}

/** The name rule's measure: a Chinese character counts as two, a letter or digit as one. */
export function displayWidth(text: string): number {
  return codePoints(text).reduce((sum, cp) => sum + (isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1), 0);
}

/** Characters as a person counts them (tagline, description). */
export function characterCount(text: string): number {
  return codePoints(text).filter((cp) => !isZeroWidth(cp)).length;
}

export type Problem = { code: string; min?: number; max?: number; actual?: number };

export interface TextRule {
  min: number;
  max: number;
  measure: (text: string) => number;
}

export const NAME: TextRule = { min: 3, max: 30, measure: displayWidth };
export const TAGLINE: TextRule = { min: 10, max: 30, measure: characterCount };
export const DESCRIPTION: TextRule = { min: 20, max: 200, measure: characterCount };

export function checkText(rule: TextRule, raw: string | undefined): Problem | null {
  const value = (raw ?? '').trim();
  if (value.length === 0) {
    return { code: 'required' };
  }
  const length = rule.measure(value.normalize('NFC'));
  if (length < rule.min || length > rule.max) {
    return { code: 'length', min: rule.min, max: rule.max, actual: length };
  }
  return null;
}

const PHONE = /^[0-9]{4}-[0-9]{7}$/;

export function checkPhone(raw: string | undefined): Problem | null {
  const value = (raw ?? '').trim();
  if (!value) return { code: 'required' };
  return PHONE.test(value) ? null : { code: 'phone-format' };
}

const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;

export function checkEmail(raw: string | undefined): Problem | null {
  const value = (raw ?? '').trim();
  if (!value) return { code: 'required' };
  const at = value.indexOf('@');
  if (value.length > 254 || at < 0 || at !== value.lastIndexOf('@')) return { code: 'email-format' };
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  const localOk = local.length > 0 && local.length <= 64 && LOCAL_PART.test(local)
    && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
  const domainOk = labels.length >= 2 && labels.every((l) => l.length <= 63 && LABEL.test(l));
  return localOk && domainOk ? null : { code: 'email-format' };
}

export const LOGO_MAX_BYTES = 256 * 1024;
export const LOGO_MIN_SIDE = 16;
export const LOGO_MAX_SIDE = 1024;

/** What the browser can tell before uploading: format by magic bytes, size, and the decoded dimensions. */
export function checkLogo(bytes: Uint8Array, width: number, height: number): Problem | null {
  if (bytes.length > LOGO_MAX_BYTES) return { code: 'logo-too-large', max: LOGO_MAX_BYTES, actual: bytes.length };
  if (!logoFormat(bytes)) return { code: 'logo-format' };
  if (width !== height) return { code: 'logo-square' };
  if (width < LOGO_MIN_SIDE || width > LOGO_MAX_SIDE) return { code: 'logo-dimensions', min: LOGO_MIN_SIDE, max: LOGO_MAX_SIDE, actual: width };
  return null;
}

export function logoFormat(bytes: Uint8Array): 'image/png' | 'image/jpeg' | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

/** Versions are semantic versions such as 1.0.0, each part at most 999999 (SemanticVersion). */
export function checkVersion(raw: string | undefined): Problem | null {
  const value = (raw ?? '').trim();
  if (!value) return { code: 'required' };
  return /^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$/.test(value) ? null : { code: 'version-format' };
}

/** A server field such as "localizations.zh-CN.name" or "releaseTo[0]" as a form field path. */
export function fieldPath(field: string): string[] {
  return field.replace(/\[\d+\]$/, '').split('.');
}
