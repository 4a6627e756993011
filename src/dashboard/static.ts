// The single-page app's files, built by Vite into dashboard/dist: read once at start, hashed assets cached for a year,
// every other path under /dashboard answered with index.html so that the app's own routes load on refresh.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api } from '../http/deps.js';

/** From dist/src/dashboard/ (or any build folder of the same depth) to the repository's dashboard/dist/. */
export const APP_DIR = fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  body: Buffer;
  /** Brotli, when it saves anything. */
  br?: Buffer;
  type: string;
  etag: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function load(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(join(dir, 'index.html'))) return assets;
  for (const path of walk(dir)) {
    const body = readFileSync(path);
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    const text = /^(text\/|image\/svg|application\/(json|manifest))/.test(type);
    const br = text ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }) : undefined;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(relative(dir, path).split(sep).join('/'), {
      body,
      br: br && br.length < body.length ? br : undefined,
      type,
      etag,
    });
  }
  return assets;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>mteja dashboard</title>
<p>The dashboard has not been built. Run <code>npm run build</code>, then restart mteja.</p>`;

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset, immutable: boolean) {
  reply
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  reply.type(asset.type);
  if (asset.br && /\bbr\b/.test(String(request.headers['accept-encoding'] ?? '')))
    return reply.header('content-encoding', 'br').send(asset.br);
  return reply.send(asset.body);
}

/** GET /dashboard and everything under it that is not the API. */
export function mountApp(app: Api, dir = APP_DIR) {
  const assets = load(dir);
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const index = assets.get('index.html');
    if (!index)
      return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    const path = (request.params as { '*'?: string })['*'] ?? '';
    const asset = assets.get(path);
    if (asset && path !== 'index.html') return send(request, reply, asset, path.startsWith('assets/'));
    // A missing file is a 404; any other path is a page of the app, which routes in the browser.
    if (path.startsWith('assets/') || /\.[a-z0-9]+$/i.test(path))
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return send(request, reply, index, false);
  };
  app.get('/', handler);
  app.get('/*', handler);
}
