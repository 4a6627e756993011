// Prints a new client secret once, with a request ready to paste.

/**
 * `baseUrl` is where this installation answers (serverUrl(config)), so the request works as printed. A publishable
 * key (`origin` given) may only create leads, from a page on its origin: its example says so.
 */
export function printSecret(clientId: string, secret: string, baseUrl: string, origin?: string) {
  const example = origin
    ? `  curl -H "Authorization: ${secret}" -H "Origin: ${origin}" -H "Content-Type: application/json" -d '{"name":"Test Lead"}' "${baseUrl}/business/lead/create"`
    : `  curl -H "Authorization: ${secret}" "${baseUrl}/business/customer/list?page=1&limit=10"`;
  process.stdout.write(
    [
      `Client id:     ${clientId}`,
      `Client secret: ${secret}`,
      'The secret is shown only now; store it somewhere safe.',
      'Try it:',
      example,
      '',
    ].join('\n'),
  );
}
