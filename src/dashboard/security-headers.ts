// Security headers on every dashboard response: a strict CSP (all scripts and styles are bundled files), no framing, no sniffing.
// Nothing here may assume HTTPS unless DASHBOARD_SECURE_COOKIES says the dashboard is served over it: the dashboard is
// also reached over plain HTTP at a LAN address, where `upgrade-insecure-requests` would send every file to https (a
// blank page) and the browser refuses Cross-Origin-Opener-Policy with an error on every load.

/** The policy: every script, style and font a bundled file of this server; `frameAncestors` who may frame it. */
export const contentSecurityPolicy = (frameAncestors = "'none'") =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');

const CSP = contentSecurityPolicy();

export function securityHeaders(secure: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
  if (secure) {
    headers['strict-transport-security'] = 'max-age=31536000';
    headers['cross-origin-opener-policy'] = 'same-origin';
  }
  return headers;
}
