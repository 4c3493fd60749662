/** The options faye's WebSocket, Client and EventSource take, and faye's checks of them. */
import type { OutgoingHttpHeaders } from 'node:http';
import type { NetConnectOpts } from 'node:net';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { FayeExtension } from './extension-adapter.js';

export interface FayeProxyOptions {
  /** The proxy's URL, e.g. `http://user:pass@proxy.example:3128` (user info becomes Proxy-Authorization). */
  origin: string;
  /** Extra headers for the CONNECT request. */
  headers?: OutgoingHttpHeaders;
  /** TLS options for a proxy reached over https:. */
  tls?: TlsConnectionOptions;
}

export interface FayeWebSocketOptions {
  /** Extra headers: in the 101 response (server) or the request (client). */
  headers?: OutgoingHttpHeaders;
  /** faye extensions, e.g. `[require('permessage-deflate')]`. */
  extensions?: FayeExtension[];
  /** Largest message accepted, in bytes. Default 2^26 − 1 (64 MiB), as faye. */
  maxLength?: number;
  /** Seconds between automatic pings. */
  ping?: number;
}

export interface FayeClientOptions extends FayeWebSocketOptions {
  proxy?: FayeProxyOptions;
  /** TLS options for a wss: origin. */
  tls?: TlsConnectionOptions;
  /** Options for net.connect. */
  net?: Partial<NetConnectOpts>;
  /** Certificate authorities for a wss: origin (the same as `tls.ca`). */
  ca?: TlsConnectionOptions['ca'];
}

export interface FayeEventSourceOptions {
  headers?: OutgoingHttpHeaders;
  /** Seconds the browser waits before reconnecting. Default 5. */
  retry?: number;
  /** Seconds between keep-alive comments. Default 10. */
  ping?: number;
}

/** websocket-driver's default `maxLength`: 64 MiB minus one. */
export const DEFAULT_MAX_LENGTH = 0x3ffffff;

/** faye's `WebSocket.validateOptions`: an unknown key throws. */
export function validateOptions(options: object | null | undefined, validKeys: readonly string[]): void {
  for (const key of Object.keys(options ?? {})) {
    if (!validKeys.includes(key)) throw new Error(`Unrecognized option: ${key}`);
  }
}

/** The checks `websocket-extensions` makes when an extension is added. */
export function checkExtensions(extensions: readonly FayeExtension[]): void {
  const names = new Set<string>();
  for (const extension of extensions) {
    if (typeof extension.name !== 'string') throw new TypeError('extension.name must be a string');
    if (extension.type !== 'permessage') throw new TypeError('extension.type must be "permessage"');
    for (const bit of ['rsv1', 'rsv2', 'rsv3'] as const) {
      if (typeof extension[bit] !== 'boolean') throw new TypeError(`extension.${bit} must be true or false`);
    }
    if (names.has(extension.name)) throw new TypeError(`An extension with name "${extension.name}" is already registered`);
    names.add(extension.name);
  }
}
