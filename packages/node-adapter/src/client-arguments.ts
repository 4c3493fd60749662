/**
 * `new WebSocket(address, protocols?, options?)`: sorting out `ws`'s overloaded arguments and
 * checking the options, before the facade starts the handshake.
 */
import { checkSendHighWaterMark } from '@sansock/core/driver';
import type { ClientConnectOptions } from './client-connect.js';
import { checkExtraOptions } from './extra-options.js';
import type { Http2ClientOption } from './http2/client-stream.js';
import type { WebSocket } from './websocket.js';

/** `new WebSocket(address, protocols, options)` options, as in `ws`. */
export interface ClientOptions extends ClientConnectOptions<WebSocket>, Http2ClientOption {}

export interface ClientArguments {
  options: ClientOptions;
  /** The subprotocols to offer (empty on the server side, where the list is not used). */
  protocols: string[];
}

/**
 * `protocols` may be the options object (then `options.protocols` is the list, as in `ws`), a
 * single name or a list. Throws for a bad option: `sendHighWaterMark` always, the client-only
 * ones only when `isClient` (the server creates its instances with its own checked options).
 */
export function parseClientArguments(
  protocols: string | string[] | ClientOptions | undefined,
  options: ClientOptions | undefined,
  isClient: boolean,
): ClientArguments {
  let opts: ClientOptions = options ?? {};
  let list: string[] = [];
  if (protocols !== undefined && !Array.isArray(protocols) && typeof protocols === 'object' && protocols !== null) {
    opts = protocols;
  } else if (Array.isArray(protocols)) {
    list = protocols;
  } else if (protocols !== undefined) {
    list = [protocols];
  }
  if (protocols === undefined || (typeof protocols === 'object' && !Array.isArray(protocols))) {
    const fromOptions = opts.protocols;
    if (fromOptions !== undefined) list = Array.isArray(fromOptions) ? fromOptions : [fromOptions];
  }
  if (opts.sendHighWaterMark !== undefined) checkSendHighWaterMark(opts.sendHighWaterMark);
  if (isClient) checkExtraOptions(opts);
  return { options: opts, protocols: list };
}
