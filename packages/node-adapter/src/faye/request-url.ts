/** The URL faye gives a server-side connection: scheme from the request's security, then Host and path. */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** websocket-driver's `isSecureRequest`: a TLS socket, or a proxy's header saying the client used https. */
export function isSecureRequest(request: IncomingMessage): boolean {
  const socket = request.socket as Partial<TLSSocket> | undefined;
  if (socket?.encrypted === true || socket?.authorized !== undefined) return true;
  const headers = request.headers;
  return (
    headers.https === 'on' ||
    headers['x-forwarded-ssl'] === 'on' ||
    headers['x-forwarded-scheme'] === 'https' ||
    headers['x-forwarded-proto'] === 'https'
  );
}

export function requestUrl(request: IncomingMessage, schemes: readonly [plain: string, secure: string]): string {
  const scheme = isSecureRequest(request) ? schemes[1] : schemes[0];
  return `${scheme}//${request.headers.host ?? ''}${request.url ?? ''}`;
}
