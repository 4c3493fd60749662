/**
 * Hooks a WebSocketServer into a `node:http2` server (the `http2Server` option): every extended
 * CONNECT with `:protocol websocket` (RFC 8441) goes to `handleStream`, other streams are left
 * to the app. Also turns on SETTINGS_ENABLE_CONNECT_PROTOCOL (§3), without which no client may
 * send one.
 */
import type http2 from 'node:http2';
import { isWebSocketConnect } from './request.js';

export type Http2WebSocketServer = http2.Http2Server | http2.Http2SecureServer;

type HandleStream = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void;

/** Returns what detaches it again. */
export function attachHttp2Server(server: Http2WebSocketServer, handle: HandleStream): () => void {
  server.updateSettings({ enableConnectProtocol: true });
  // Without a 'request' listener Node hands streams out raw ('stream'). With one, its
  // compatibility layer also sees every stream and answers a CONNECT nobody takes in 'connect'
  // with 405: then the WebSocket is taken there.
  const compatibilityLayerOn = (): boolean => server.listenerCount('request') > 0;
  const onStream = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void => {
    if (isWebSocketConnect(headers) && !compatibilityLayerOn()) handle(stream, headers);
  };
  const onConnect = (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse): void => {
    if (isWebSocketConnect(request.headers)) {
      handle(request.stream, request.headers);
      return;
    }
    // Another CONNECT (a proxy request): the app's if it listens too, else Node's usual 405.
    if (server.listenerCount('connect') === 1) {
      response.statusCode = 405;
      response.end();
    }
  };
  server.on('stream', onStream);
  server.on('connect', onConnect);
  return () => {
    server.removeListener('stream', onStream);
    server.removeListener('connect', onConnect);
  };
}
