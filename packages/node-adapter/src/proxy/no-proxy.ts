/**
 * `NO_PROXY` matching, curl-style: entries separated by commas or spaces; `*` alone matches every
 * host; `example.com`, `.example.com` and `*.example.com` all match example.com and its
 * subdomains; `host:port` also requires the port; IP addresses match exactly.
 */

/** True when `host` (lower-case, IPv6 without brackets) on `port` should not go through a proxy. */
export function bypassesProxy(noProxy: string, host: string, port: number): boolean {
  const target = host.toLowerCase().replace(/\.$/, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const { name, entryPort } = splitEntry(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    // A leading "*." or "." means "this domain", which here always includes its subdomains.
    const domain = name.replace(/^\*?\./, '').replace(/\.$/, '');
    if (domain === '') continue;
    if (target === domain || target.endsWith(`.${domain}`)) return true;
  }
  return false;
}

function splitEntry(entry: string): { name: string; entryPort: number | undefined } {
  // "[::1]:8080" or "[::1]"; a bare IPv6 address has several colons and no port.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] ?? '', entryPort: bracketed[2] === undefined ? undefined : Number(bracketed[2]) };
  const colon = entry.lastIndexOf(':');
  if (colon !== -1 && entry.indexOf(':') === colon && /^\d+$/.test(entry.slice(colon + 1))) {
    return { name: entry.slice(0, colon), entryPort: Number(entry.slice(colon + 1)) };
  }
  return { name: entry, entryPort: undefined };
}
