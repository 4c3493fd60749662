/**
 * The request a WebSocket over HTTP/2 was opened by, as the `http.IncomingMessage` that
 * 'connection', `verifyClient`, `handleProtocols`, 'headers' and 'wsClientError' hand out for
 * HTTP/1.1, so code written for `ws` (and its types) reads it unchanged: `headers` (with the
 * pseudo-header fields, `:authority` instead of `host`), `url` (`:path`), `method`
 * ('CONNECT'), `httpVersion` ('2.0'), `socket` (the connection's socket, shared by every
 * stream: Node's guarded proxy of it, which refuses to be ended, destroyed or read).
 */
import http from 'node:http';
import type http2 from 'node:http2';
import type net from 'node:net';

export function createStreamRequest(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): http.IncomingMessage {
  const request = new http.IncomingMessage(stream.session?.socket as net.Socket);
  request.httpVersionMajor = 2;
  request.httpVersionMinor = 0;
  request.httpVersion = '2.0';
  request.method = 'CONNECT';
  request.url = String(headers[':path'] ?? '');
  const raw: string[] = [];
  const copy: http.IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    copy[name] = value as string;
    for (const item of Array.isArray(value) ? value : [value]) raw.push(name, String(item));
  }
  request.rawHeaders = raw;
  request.headers = copy;
  request.complete = true;
  return request;
}

/** Whether a server-side request arrived over HTTP/2 (an extended CONNECT, RFC 8441). */
export function isHttp2Request(request: http.IncomingMessage): boolean {
  return request.httpVersionMajor === 2;
}

/** RFC 8441 §4: an extended CONNECT for a WebSocket. */
export function isWebSocketConnect(headers: http2.IncomingHttpHeaders): boolean {
  return headers[':method'] === 'CONNECT' && headers[':protocol'] === 'websocket';
}
