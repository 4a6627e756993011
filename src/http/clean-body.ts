// Input clean-up before validation: body strings are trimmed and blank ones mean "not given" (null); text that no
// engine can store alike (U+0000, lone surrogates) and bodies nested deeper than MAX_DEPTH are refused, without recursion.
import type { ErrorObject } from 'ajv';
import { invalid } from './errors.js';
import { TEXT_KEYWORDS } from './validation.js';

/** Objects and lists inside one another; no resource nests more than 3, and a deeper body is refused before it is walked. */
export const MAX_DEPTH = 32;

/** In a `u` pattern a surrogate pair is one code point, so this matches only a half pair: text no engine stores alike. */
const LONE_SURROGATE = /\p{Cs}/u;

/** What a request part holds that no field may: the NUL character (PostgreSQL text cannot) or a lone surrogate. */
function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return TEXT_KEYWORDS.nul;
  if (LONE_SURROGATE.test(value)) return TEXT_KEYWORDS.surrogate;
  return undefined;
}

/** A validation failure in Ajv's shape, so that render-error.ts words it like every other field problem. */
export class TextError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly validation: ErrorObject[],
    readonly validationContext: 'body' | 'querystring',
  ) {
    super('Invalid text in request');
  }
}

const pointer = (path: readonly (string | number)[]) =>
  path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

const problem = (keyword: string, path: readonly (string | number)[], data: string): ErrorObject => ({
  keyword,
  instancePath: pointer(path),
  schemaPath: '',
  params: {},
  data,
});

/**
 * Returns the body with every string trimmed and every blank string replaced by null, at any depth up to MAX_DEPTH.
 * Throws a 400 for a deeper body, and for any string (a known field or not) holding U+0000 or a lone surrogate.
 */
export function cleanBody(body: unknown): unknown {
  if (body === null || typeof body !== 'object') return cleanString(body);
  const problems: ErrorObject[] = [];
  const root: unknown = Array.isArray(body) ? [] : {};
  // Each entry is a container still to copy, the copy it fills, its path from the root and its depth.
  const stack: { from: object; to: Record<string | number, unknown>; path: (string | number)[] }[] = [
    { from: body, to: root as Record<string, unknown>, path: [] },
  ];
  while (stack.length > 0) {
    const { from, to, path } = stack.pop() as (typeof stack)[number];
    if (path.length >= MAX_DEPTH) throw invalid(`Request body is nested too deeply (more than ${MAX_DEPTH} levels)`);
    for (const [key, value] of Object.entries(from)) {
      const at = Array.isArray(from) ? Number(key) : key;
      if (value !== null && typeof value === 'object') {
        const copy = Array.isArray(value) ? [] : {};
        to[at] = copy;
        stack.push({ from: value, to: copy as Record<string, unknown>, path: [...path, at] });
      } else {
        if (typeof value === 'string') {
          const keyword = textProblem(value);
          if (keyword) problems.push(problem(keyword, [...path, at], value));
        }
        to[at] = cleanString(value);
      }
    }
  }
  if (problems.length > 0) throw new TextError(problems, 'body');
  return root;
}

function cleanString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Throws a 400 naming each query parameter of `declared` (the route's query schema) that holds U+0000 or a lone
 * surrogate, search terms included. Parameters a route does not declare are refused before this where its schema
 * closes the query string (every list and details route: list-query.ts unknownParameters), else ignored.
 */
export function checkQuery(query: unknown, declared: object | undefined): void {
  if (query === null || typeof query !== 'object' || !declared) return;
  const problems: ErrorObject[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (!Object.hasOwn(declared, name)) continue;
    for (const [i, text] of ([] as unknown[]).concat(value).entries()) {
      const keyword = typeof text === 'string' ? textProblem(text) : undefined;
      if (keyword) problems.push(problem(keyword, Array.isArray(value) ? [name, i] : [name], text as string));
    }
  }
  if (problems.length > 0) throw new TextError(problems, 'querystring');
}
