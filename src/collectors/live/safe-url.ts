const SECRET_PARAMS = /^(access_token|token|bearer_token|api_key|apikey|key|secret|password|auth)$/i;

/**
 * A URL as it may appear in logs, dead letters and origins: no user info, no credential-like
 * query parameters. Tokens go in headers, but a user may still paste one into a URL.
 */
export function safeUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return '(invalid url)';
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, 'redacted');
  }
  return parsed.toString();
}

/** `host[:port]` of a URL, for short labels. */
export function hostOf(url: string | URL): string {
  try {
    return new URL(String(url)).host;
  } catch {
    return '(invalid url)';
  }
}
