/**
 * The request a server-side WebSocket was opened by: an HTTP/1.1 upgrade's `IncomingMessage`,
 * or, over HTTP/2 (RFC 8441), the stream's `Http2ServerRequest` (same `headers`, `url`,
 * `method`, `socket`; `httpVersion` is '2.0').
 */
import type http from 'node:http';
import http2 from 'node:http2';

export type WebSocketRequest = http.IncomingMessage | http2.Http2ServerRequest;

/** Whether the request arrived over HTTP/2 (an extended CONNECT), for code that serves both. */
export function isHttp2Request(request: WebSocketRequest): request is http2.Http2ServerRequest {
  return request instanceof http2.Http2ServerRequest;
}

/** RFC 8441 §4: an extended CONNECT for a WebSocket. */
export function isWebSocketConnect(headers: http2.IncomingHttpHeaders): boolean {
  return headers[':method'] === 'CONNECT' && headers[':protocol'] === 'websocket';
}
