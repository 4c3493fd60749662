/**
 * faye's server-side WebSocket: `new WebSocket(request, socket, body, protocols, options)` from
 * an http server's 'upgrade' event. The core validates the request and negotiates; this file
 * answers on the socket and hands it to the shared API.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  HandshakeError,
  HeaderList,
  createAcceptHeaders,
  createRejectResponse,
  negotiateExtensions,
  serializeResponse,
  validateClientRequest,
} from '@sansock/core';
import { nativeSha1Base64 } from '../accelerators.js';
import { toHeaderPairs } from '../headers.js';
import { createFayeExtensionFactory } from './extension-adapter.js';
import { type FayeWebSocketOptions, checkExtensions, validateOptions } from './options.js';
import { requestUrl } from './request-url.js';
import { FayeApi } from './websocket-api.js';

/** The keys faye's API accepts (it checks the same list on server and client). */
export const API_OPTION_KEYS = ['headers', 'extensions', 'maxLength', 'ping', 'proxy', 'tls', 'ca', 'net'] as const;

function checked<O extends object>(options: O | null | undefined): O {
  validateOptions(options, API_OPTION_KEYS);
  checkExtensions((options as FayeWebSocketOptions | undefined)?.extensions ?? []);
  return options ?? ({} as O);
}

/** websocket-driver's test: a GET whose Connection lists `upgrade` and whose Upgrade is `websocket`. */
export function isWebSocket(request: IncomingMessage): boolean {
  const connection = String(request.headers.connection ?? '').toLowerCase();
  const upgrade = String(request.headers.upgrade ?? '').toLowerCase();
  return request.method === 'GET' && connection.split(/ *, */).includes('upgrade') && upgrade === 'websocket';
}

export class FayeServerWebSocket extends FayeApi {
  private readonly socket: Duplex;

  constructor(
    request: IncomingMessage,
    socket: Duplex,
    body?: Uint8Array | null,
    protocols?: string | readonly string[] | null,
    options?: FayeWebSocketOptions | null,
  ) {
    const opts = checked(options);
    super(requestUrl(request, ['ws:', 'wss:']), opts);
    this.socket = socket;
    if (!socket.writable) return;
    if (!socket.readable) {
      socket.end();
      return;
    }
    const supported = protocols === null || protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : protocols;
    // Like faye, the handshake runs on the next tick, so listeners attached now see 'open'.
    process.nextTick(() => this.handshake(request, body ?? new Uint8Array(0), supported, opts));
  }

  protected abortHandshake(): void {
    this.socket.destroy();
    this.failHandshake('', 1006);
  }

  private handshake(request: IncomingMessage, body: Uint8Array, supported: readonly string[], options: FayeWebSocketOptions): void {
    if (this.readyState !== FayeApi.CONNECTING) return;
    const socket = this.socket;
    // The client may have gone in the tick since the upgrade: its 'close' will not come again.
    if (socket.destroyed) {
      this.failHandshake(`Network error: ${this.url}: the connection closed before the handshake`);
      return;
    }
    const factories = (options.extensions ?? []).map((extension) =>
      createFayeExtensionFactory(extension, { maxLength: this.maxLength }),
    );
    const validated = validateClientRequest(
      {
        method: request.method ?? '',
        target: request.url ?? '/',
        httpVersion: request.httpVersion,
        headers: HeaderList.fromRaw(request.rawHeaders),
      },
      { extensions: factories },
    );
    const negotiated = validated instanceof HandshakeError ? validated : negotiateExtensions(validated.extensionOffers, factories);
    if (validated instanceof HandshakeError || negotiated instanceof HandshakeError) {
      const error = validated instanceof HandshakeError ? validated : (negotiated as HandshakeError);
      socket.end(createRejectResponse(error.status ?? 400, { message: error.message, headers: error.headers }));
      // websocket-driver fails a bad handshake as a protocol error.
      this.failHandshake(error.message, 1002, error.message);
      return;
    }
    this.version = `hybi-${validated.version}`;
    // The first protocol the client offered that the server supports (websocket-driver's choice).
    const protocol = validated.protocols.find((offered) => supported.includes(offered)) ?? '';
    let response: Uint8Array;
    try {
      response = serializeResponse(
        101,
        createAcceptHeaders(validated, {
          protocol,
          extensionsHeader: negotiated.header,
          headers: toHeaderPairs(options.headers),
          sha1Base64: nativeSha1Base64,
        }),
      );
    } catch (error) {
      for (const extension of negotiated.extensions) extension.dispose?.();
      socket.destroy();
      this.failHandshake(error instanceof Error ? error.message : String(error));
      return;
    }
    socket.write(response);
    this.attach(socket, body, { role: 'server', extensions: negotiated.extensions, protocol });
  }
}
