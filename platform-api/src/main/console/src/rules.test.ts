import { describe, expect, it } from 'vitest';
import {
  characterCount, checkEmail, checkLogo, checkPhone, checkText, checkVersion, DESCRIPTION, displayWidth, fieldPath,
  NAME, TAGLINE,
} from './rules';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]);
const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]);

describe('displayWidth, as tenant-model DisplayWidth', () => {
  it('counts a Chinese character as two and a letter or digit as one', () => {
    expect(displayWidth('西湖茶馆')).toBe(8);
    expect(displayWidth('Tea 1')).toBe(5);
    expect(displayWidth('西湖Tea')).toBe(7);
  });
  it('counts full-width forms, Hiragana, Hangul, CJK punctuation and emoji as two', () => {
    expect(displayWidth('Ａ')).toBe(2);
    expect(displayWidth('ひ')).toBe(2);
    expect(displayWidth('한')).toBe(2);
    expect(displayWidth('。')).toBe(2);
    expect(displayWidth('☕')).toBe(2);
    expect(displayWidth('😀')).toBe(2);
  });
  it('counts half-width Katakana as one', () => {
    expect(displayWidth('ｱ')).toBe(1);
  });
  it('counts combining marks, ZWJ and variation selectors as nothing', () => {
    expect(displayWidth('e\u0301')).toBe(displayWidth('é'));
    expect(displayWidth('☕\uFE0F')).toBe(2);
    expect(displayWidth('👨\u200D👩\u200D👧')).toBe(6);
  });
});

describe('characterCount, as tenant-model CharacterCount', () => {
  it('counts a Chinese character once', () => {
    expect(characterCount('一杯好茶')).toBe(4);
  });
  it('counts code points, not UTF-16 units, and leaves out zero-width marks', () => {
    expect(characterCount('😀')).toBe(1);
    expect(characterCount('e\u0301')).toBe(1);
  });
});

describe('text rules', () => {
  it('name: 3 to 30 wide', () => {
    expect(checkText(NAME, '')?.code).toBe('required');
    expect(checkText(NAME, '   ')?.code).toBe('required');
    expect(checkText(NAME, 'ab')).toEqual({ code: 'length', min: 3, max: 30, actual: 2 });
    expect(checkText(NAME, '茶')).toEqual({ code: 'length', min: 3, max: 30, actual: 2 });
    expect(checkText(NAME, '茶馆')).toBeNull();
    expect(checkText(NAME, '茶'.repeat(15))).toBeNull();
    expect(checkText(NAME, '茶'.repeat(16))?.actual).toBe(32);
    expect(checkText(NAME, 'a'.repeat(30))).toBeNull();
  });
  it('name: surrounding blanks do not count, as the server strips them', () => {
    expect(checkText(NAME, '  abc  ')).toBeNull();
  });
  it('tagline: 10 to 30 characters, a Chinese character once', () => {
    expect(checkText(TAGLINE, '一杯好茶一段好时光')?.actual).toBe(9);
    expect(checkText(TAGLINE, '一杯好茶，一段好时光')).toBeNull();
    expect(checkText(TAGLINE, 'x'.repeat(31))?.code).toBe('length');
  });
  it('description: 20 to 200 characters', () => {
    expect(checkText(DESCRIPTION, 'x'.repeat(19))?.code).toBe('length');
    expect(checkText(DESCRIPTION, 'x'.repeat(20))).toBeNull();
    expect(checkText(DESCRIPTION, '茶'.repeat(200))).toBeNull();
    expect(checkText(DESCRIPTION, '茶'.repeat(201))?.code).toBe('length');
  });
});

describe('service phone and email, as ServicePhone and ServiceEmail', () => {
  it('phone: four digits, hyphen, seven digits, ASCII only', () => {
    expect(checkPhone('0571-8888888')).toBeNull();
    expect(checkPhone(' 0571-8888888 ')).toBeNull();
    expect(checkPhone('')?.code).toBe('required');
    expect(checkPhone('571-8888888')?.code).toBe('phone-format');
    expect(checkPhone('0571-88888888')?.code).toBe('phone-format');
    expect(checkPhone('０５７１-8888888')?.code).toBe('phone-format');
  });
  it('email: the dot-atom subset', () => {
    expect(checkEmail('service@example.com')).toBeNull();
    expect(checkEmail('')?.code).toBe('required');
    expect(checkEmail('service@localhost')?.code).toBe('email-format');
    expect(checkEmail('a@@example.com')?.code).toBe('email-format');
    expect(checkEmail('.a@example.com')?.code).toBe('email-format');
    expect(checkEmail('a..b@example.com')?.code).toBe('email-format');
    expect(checkEmail('a@-example.com')?.code).toBe('email-format');
    expect(checkEmail(`${'a'.repeat(65)}@example.com`)?.code).toBe('email-format');
  });
});

describe('logo, as Logo', () => {
  it('accepts a square PNG or JPEG of at most 256 KB', () => {
    expect(checkLogo(PNG, 256, 256)).toBeNull();
    expect(checkLogo(JPEG, 16, 16)).toBeNull();
  });
  it('refuses other formats whatever the file name says', () => {
    expect(checkLogo(GIF, 256, 256)?.code).toBe('logo-format');
  });
  it('refuses more than 256 KB before anything else', () => {
    const big = new Uint8Array(256 * 1024 + 1);
    big.set(PNG);
    expect(checkLogo(big, 100, 50)?.code).toBe('logo-too-large');
    const limit = new Uint8Array(256 * 1024);
    limit.set(PNG);
    expect(checkLogo(limit, 100, 100)).toBeNull();
  });
  it('refuses a picture that is not 1:1, or too small or large', () => {
    expect(checkLogo(PNG, 256, 255)?.code).toBe('logo-square');
    expect(checkLogo(PNG, 15, 15)?.code).toBe('logo-dimensions');
    expect(checkLogo(PNG, 1025, 1025)?.code).toBe('logo-dimensions');
  });
});

describe('versions and field paths', () => {
  it('versions are semantic', () => {
    expect(checkVersion('1.0.0')).toBeNull();
    expect(checkVersion('1.0')?.code).toBe('version-format');
    expect(checkVersion('01.0.0')?.code).toBe('version-format');
  });
  it('a server field names a form field', () => {
    expect(fieldPath('localizations.zh-CN.name')).toEqual(['localizations', 'zh-CN', 'name']);
    expect(fieldPath('releaseTo[0]')).toEqual(['releaseTo']);
    expect(fieldPath('servicePhone')).toEqual(['servicePhone']);
  });
});
