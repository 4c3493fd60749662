/**
 * Typings of the CommonJS entry of @sansock/node/faye (copied to dist/faye.d.cts by
 * tsup.config.ts): `require('@sansock/node/faye')` is the WebSocket class, as
 * `require('faye-websocket')` is. The types come from the ES module typings (dist/faye.d.ts).
 */
import type * as Types from './index.js' with { 'resolution-mode': 'import' };

type Values = typeof import('./index.js', { with: { 'resolution-mode': 'import' } });

declare const WebSocketClass: Values['WebSocket'];

declare class WebSocket extends WebSocketClass {
  static readonly default: typeof WebSocket;
}

declare namespace WebSocket {
  type Client = Types.Client;
  type EventSource = Types.EventSource;
  type FayeClientOptions = Types.FayeClientOptions;
  type FayeWebSocketOptions = Types.FayeWebSocketOptions;
  type FayeEventSourceOptions = Types.FayeEventSourceOptions;
  type FayeProxyOptions = Types.FayeProxyOptions;
  type FayeExtension = Types.FayeExtension;
  type MessageEvent = Types.MessageEvent;
  type CloseEvent = Types.CloseEvent;
  type ErrorEvent = Types.ErrorEvent;
  type OpenEvent = Types.OpenEvent;
}

export = WebSocket;
