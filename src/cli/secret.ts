// Prints a new client secret once, with a request ready to paste.

/** `baseUrl` is where this installation answers (serverUrl(config)), so the request works as printed. */
export function printSecret(clientId: string, secret: string, baseUrl: string) {
  process.stdout.write(
    [
      `Client id:     ${clientId}`,
      `Client secret: ${secret}`,
      'The secret is shown only now; store it somewhere safe.',
      'Try it:',
      `  curl -H "Authorization: ${secret}" "${baseUrl}/business/customer/list?page=1&limit=10"`,
      '',
    ].join('\n'),
  );
}
