// Reads the request examples (curl, JavaScript fetch, Python requests) and documented responses out of the seed pages.
import { readdirSync, readFileSync } from 'node:fs';

export const SEEDS_DIR = new URL('../../../test/fixtures/seeds/', import.meta.url);
export const CASHFIN = 'https://api.cashfin.africa';
export const PLACEHOLDER_SECRET = 'cs_your_client_secret';
/** The seed copies carry an email address scrubbed by the page's host; replayed requests need a real one. */
export const SCRUBBED_EMAIL = /\[email[\s\u00a0]protected\]/g;

export interface Example {
  seed: string;
  kind: 'curl' | 'javascript' | 'python';
  code: string;
  method: string;
  path: string;
  /** The success response the page documents after this example, if any. */
  documented?: { success: true; message?: string; data: unknown; pagination?: object; meta?: object };
}

export function seedPages(): { name: string; text: string }[] {
  return readdirSync(SEEDS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((name) => ({ name, text: readFileSync(new URL(name, SEEDS_DIR), 'utf8') }));
}

/** The first balanced JSON object at or after `from` that parses and says success: true. */
function documentedAfter(text: string, from: number): Example['documented'] {
  for (let start = text.indexOf('{', from); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) {
        try {
          const parsed = JSON.parse(text.slice(start, i + 1));
          if (parsed && parsed.success === true) return parsed;
        } catch {
          /* not JSON (code); keep looking */
        }
        break;
      }
    }
  }
  return undefined;
}

const requestOf = (code: string) => {
  const url = /["'`](https:\/\/api\.cashfin\.africa[^"'`]*)["'`]/.exec(code)?.[1] ?? '';
  const method =
    /-X (\w+)/.exec(code)?.[1] ??
    /method:\s*"(\w+)"/.exec(code)?.[1] ??
    /requests\.(\w+)\(/.exec(code)?.[1]?.toUpperCase() ??
    'GET';
  return {
    method,
    path: url
      .slice(CASHFIN.length)
      .replace(/\$\{\w+\}/, ':id')
      .replace(/\{\w+\}$/, ':id'),
  };
};

export function examples(): Example[] {
  const out: Example[] = [];
  for (const { name, text } of seedPages()) {
    const lines = text.split('\n');
    // curl: a command continued with backslashes
    for (const match of text.matchAll(/curl -X \w+ "[^"]+"(?: \\\n\s*-H "[^"]+")*(?: \\\n\s*-d '[^']*')?/g)) {
      const code = match[0];
      out.push({
        seed: name,
        kind: 'curl',
        code,
        ...requestOf(code),
        documented: documentedAfter(text, match.index! + code.length),
      });
    }
    // javascript and python: the lines after a language marker, up to the next marker or the end of the call
    for (let i = 0; i < lines.length; i++) {
      if (/javascript$/.test(lines[i]) && /fetch\(/.test(lines.slice(i + 1, i + 9).join('\n'))) {
        const body: string[] = [];
        for (let j = i + 1; j < lines.length; j++) {
          const end = /^(.*?)(python|php|Success Response|Response)$/.exec(lines[j]);
          if (end || lines[j].trim() === 'python' || lines[j].trim() === 'php') {
            if (end?.[1]) body.push(end[1]);
            break;
          }
          body.push(lines[j]);
        }
        const code = body.join('\n');
        // Use-case snippets only define functions; the reference examples make the call at top level.
        if (/^\s*(async )?function /m.test(code)) continue;
        out.push({
          seed: name,
          kind: 'javascript',
          code,
          ...requestOf(code),
          documented: documentedAfter(text, text.indexOf(code) + code.length),
        });
      }
      if (lines[i].trim() === 'import requests') {
        const body: string[] = [];
        let depth = 0;
        let opened = false;
        for (let j = i; j < lines.length; j++) {
          let line = lines[j];
          for (const ch of line) {
            if (ch === '(') {
              depth++;
              opened = true;
            } else if (ch === ')') depth--;
          }
          if (opened && depth === 0) {
            line = line.slice(0, line.lastIndexOf(')') + 1);
            body.push(line);
            break;
          }
          body.push(line);
        }
        const code = body.join('\n');
        out.push({
          seed: name,
          kind: 'python',
          code,
          ...requestOf(code),
          documented: documentedAfter(text, text.indexOf(code) + code.length),
        });
      }
    }
  }
  return out;
}
