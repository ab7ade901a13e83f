// Checks app.json the way the server's CodePackageInspector does (Jackson's streaming parser with strict
// duplicate detection and stream read constraints), in the same order, so the first refusal is the same one:
// a manifest the CLI passes is one the server passes, and the code it names is the server's code.

/** @typedef {{maxManifestBytes: number, maxManifestDepth: number, maxManifestStringLength: number, maxManifestNumberLength: number}} ManifestLimits */

export class ManifestError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * @param {Buffer} bytes app.json as stored
 * @param {ManifestLimits} limits
 */
export function checkManifest(bytes, limits) {
  if (bytes.length > limits.maxManifestBytes) {
    throw new ManifestError('manifest-too-large', `app.json is larger than ${limits.maxManifestBytes} bytes`);
  }
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ManifestError('manifest-json', 'app.json is not valid JSON');
  }
  new Scanner(text, limits).manifest();
}

class Scanner {
  /** @param {string} text @param {ManifestLimits} limits */
  constructor(text, limits) {
    this.text = text;
    this.at = 0;
    this.depth = 0;
    this.limits = limits;
  }

  manifest() {
    this.skipWhitespace();
    if (this.at >= this.text.length) {
      throw new ManifestError('manifest-json', 'app.json is empty');
    }
    if (this.text[this.at] !== '{') {
      this.value(); // a syntax error inside still comes first, as the server reads the token before judging it
      throw pagesMissing();
    }
    let pages = false;
    this.object((name) => {
      if (name === 'pages') {
        pages = this.pages();
      } else {
        this.value();
      }
    });
    this.skipWhitespace();
    if (this.at < this.text.length) {
      throw new ManifestError('manifest-json', 'app.json has content after its JSON object');
    }
    if (!pages) {
      throw pagesMissing();
    }
  }

  /** @returns {boolean} whether "pages" is a non-empty array of page paths */
  pages() {
    this.skipWhitespace();
    if (this.text[this.at] !== '[') {
      this.value();
      return false;
    }
    let count = 0;
    this.array(() => {
      this.skipWhitespace();
      if (this.text[this.at] !== '"') {
        this.value();
        throw invalidPage();
      }
      if (this.string().trim() === '') {
        throw invalidPage();
      }
      count++;
    });
    return count > 0;
  }

  value() {
    this.skipWhitespace();
    const c = this.text[this.at];
    if (c === '{') {
      this.object(() => this.value());
    } else if (c === '[') {
      this.array(() => this.value());
    } else if (c === '"') {
      this.string();
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      this.number();
    } else if (this.text.startsWith('true', this.at)) {
      this.at += 4;
    } else if (this.text.startsWith('false', this.at)) {
      this.at += 5;
    } else if (this.text.startsWith('null', this.at)) {
      this.at += 4;
    } else {
      throw syntax();
    }
  }

  /** @param {(name: string) => void} member reads the member's value */
  object(member) {
    this.enter();
    this.at++; // {
    const names = new Set();
    this.skipWhitespace();
    if (this.text[this.at] === '}') {
      this.at++;
      this.depth--;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.at] !== '"') {
        throw syntax();
      }
      const name = this.string();
      if (names.has(name)) {
        throw new ManifestError('manifest-json', 'app.json is not valid JSON');
      }
      names.add(name);
      this.skipWhitespace();
      if (this.text[this.at++] !== ':') {
        throw syntax();
      }
      member(name);
      this.skipWhitespace();
      const next = this.text[this.at++];
      if (next === '}') {
        break;
      }
      if (next !== ',') {
        throw syntax();
      }
    }
    this.depth--;
  }

  /** @param {() => void} element reads one element */
  array(element) {
    this.enter();
    this.at++; // [
    this.skipWhitespace();
    if (this.text[this.at] === ']') {
      this.at++;
      this.depth--;
      return;
    }
    for (;;) {
      element();
      this.skipWhitespace();
      const next = this.text[this.at++];
      if (next === ']') {
        break;
      }
      if (next !== ',') {
        throw syntax();
      }
    }
    this.depth--;
  }

  enter() {
    if (++this.depth > this.limits.maxManifestDepth) {
      throw this.limitsExceeded();
    }
  }

  string() {
    this.at++; // "
    let value = '';
    for (;;) {
      if (this.at >= this.text.length) {
        throw syntax();
      }
      const c = this.text[this.at++];
      if (c === '"') {
        break;
      }
      if (c < ' ') {
        throw syntax(); // raw control characters are not allowed inside JSON strings
      }
      if (c === '\\') {
        value += this.escape();
      } else {
        value += c;
      }
      if (value.length > this.limits.maxManifestStringLength) {
        throw this.limitsExceeded();
      }
    }
    return value;
  }

  escape() {
    const c = this.text[this.at++];
    const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (c in simple) {
      return simple[/** @type {keyof typeof simple} */ (c)];
    }
    if (c === 'u') {
      const hex = this.text.slice(this.at, this.at + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw syntax();
      }
      this.at += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    throw syntax();
  }

  number() {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.at, this.at + 100_000));
    if (!match) {
      throw syntax();
    }
    const after = this.text[this.at + match[0].length];
    if (after !== undefined && /[0-9A-Za-z.+-]/.test(after)) {
      throw syntax();
    }
    const length = match[0].replace(/^-/, '').length;
    if (length > this.limits.maxManifestNumberLength) {
      throw this.limitsExceeded();
    }
    this.at += match[0].length;
  }

  skipWhitespace() {
    while (this.at < this.text.length && WHITESPACE.has(this.text[this.at])) {
      this.at++;
    }
  }

  limitsExceeded() {
    const l = this.limits;
    return new ManifestError('manifest-limits', `app.json exceeds a parser limit (nesting depth ${l.maxManifestDepth}, `
      + `strings of ${l.maxManifestStringLength} characters, numbers of ${l.maxManifestNumberLength} digits)`);
  }
}

function syntax() {
  return new ManifestError('manifest-json', 'app.json is not valid JSON');
}

function pagesMissing() {
  return new ManifestError('manifest-pages', 'app.json must be a JSON object with a non-empty "pages" array');
}

function invalidPage() {
  return new ManifestError('manifest-pages', 'every entry of "pages" in app.json must be a page path');
}
