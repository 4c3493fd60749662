/**
 * An open connection: a Deno.Conn bound to the driver through ConnTransport. Made by the client
 * once its handshake is accepted and by the server once it wrote the 101; the facade gets the
 * driver's events through `DriverEvents`.
 */
import type { Extension } from '@sansock/core';
import { Driver, type DriverEvents, type KeepAliveOptions } from '@sansock/core/driver';
import { ConnTransport } from './conn-transport.js';
import type { DenoConn } from './deno-api.js';
import { denoClock } from './deno-clock.js';
import { createWasmMask } from './wasm-mask.js';

/** One SIMD mask for every connection (it is synchronous, so its memory is never shared by two calls at once). */
const nativeMask = createWasmMask();

/** Options of an open connection, shared by client and server. */
export interface ConnectionOptions {
  /** Largest message in bytes, on the wire and inflated (1009 beyond it). 0 = no limit. Default: the core's (100 MiB). */
  readonly maxPayload?: number;
  /** Most frames one message may arrive in (1009 beyond it). 0 = no limit. Default: the core's (131,072 for a server, 524,288 for a client). */
  readonly maxFragments?: number;
  /** Skip UTF-8 validation of text messages. Default false. */
  readonly skipUTF8Validation?: boolean;
  /** Milliseconds to wait for the peer's side of the closing handshake (RFC 6455 §7.1.1). Default: the driver's (30 s). */
  readonly closeTimeout?: number;
  /**
   * Pings a peer from which nothing arrived for `interval` ms; with `timeout`, drops it (close
   * 1006) when it then sends nothing for `timeout` ms more. Any frame counts as life, not only
   * the pong. Default: off (the driver's keep-alive, as `@sansock/node`'s `keepAlive`).
   */
  readonly keepAlive?: KeepAliveOptions;
}

export interface OpenedConnection {
  readonly conn: DenoConn;
  readonly role: 'client' | 'server';
  readonly extensions: Extension[];
  /** Bytes that came with the handshake: the first frames. */
  readonly rest: Uint8Array;
}

/** Binds an accepted connection. Nothing is read until the driver's first `pump()` (see WebSocket). */
export function bindConnection(opened: OpenedConnection, options: ConnectionOptions, events: DriverEvents): Driver {
  const transport = new ConnTransport(opened.conn);
  const driver = new Driver({
    connection: {
      role: opened.role,
      extensions: opened.extensions,
      maxPayload: options.maxPayload,
      maxFragments: options.maxFragments,
      skipUTF8Validation: options.skipUTF8Validation,
      nativeMask,
    },
    transport,
    clock: denoClock,
    events,
    closeTimeout: options.closeTimeout,
    keepAlive: options.keepAlive,
  });
  transport.bind(driver);
  driver.receiveEarly(opened.rest);
  return driver;
}
