/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(headers: Headers): string | undefined {
  const authorization = headers.get('authorization');
  return authorization === null ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
}

/** The path after `prefix`, or `undefined` when the path is not under it. */
export function pathUnder(pathname: string, prefix: string): string | undefined {
  if (pathname === prefix) return '';
  return pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length) : undefined;
}
