/**
 * What the `ws` facade hands the driver when its socket is upgraded: the handshake's outcome
 * (role, limits, negotiated extensions) and the constructor's options. The driver resolves the
 * defaults of whatever is left undefined.
 */
import type { Extension } from '@sansock/core';
import { accelerators } from './accelerators.js';
import { maskFillOf } from './client-connect.js';
import type { ClientOptions } from './client-arguments.js';
import type { BindingOptions } from './socket-binding.js';
import type { SocketInit } from './types.js';

export function bindingOptionsFor(init: SocketInit, options: ClientOptions, extensions: readonly Extension[]): BindingOptions {
  return {
    connection: {
      role: init.role,
      maxPayload: init.maxPayload,
      maxFragments: init.maxFragments,
      skipUTF8Validation: init.skipUTF8Validation,
      autoPong: options.autoPong,
      fragmentSize: options.fragmentOutgoing?.threshold,
      deliverFragments: options.deliverFragments,
      generateMask: init.role === 'client' ? maskFillOf(options) : undefined,
      extensions,
      // Last: a spread followed by more properties is a slow clone in V8 (see socket-binding.ts).
      ...accelerators,
    },
    closeTimeout: options.closeTimeout,
    maxPendingAutoPongs: options.maxPendingAutoPongs,
    allowSynchronousEvents: init.allowSynchronousEvents,
    keepAlive: options.keepAlive,
    sendHighWaterMark: options.sendHighWaterMark,
  };
}
