/**
 * Typings of the CommonJS entry (copied to dist/index.d.cts by tsup.config.ts), also the
 * package's top-level `types` for the legacy `node10` resolution: `require('@sansock/node')` is
 * the WebSocket class, as `require('ws')` is, with every named export of the ES module entry hung
 * on it, and the same type namespace as the ES module's default export (`WebSocket.RawData`, ...).
 * All types come from the ES module typings (dist/index.d.ts), so the two cannot drift apart.
 *
 *   import WebSocket = require('@sansock/node');
 *   const wss = new WebSocket.WebSocketServer({ port: 8080 });
 *   wss.on('connection', (ws: WebSocket, request) => ws.on('message', (data: WebSocket.RawData) => ws.send(data)));
 *
 * Needs TypeScript 5.3 or later (`resolution-mode` in every module resolution mode).
 */
import type Default from './index.js' with { 'resolution-mode': 'import' };

/** The class, with its statics (WebSocketServer, createWebSocketStream, CloseEvent, ..., default). */
declare const WebSocket: typeof Default;
/** An instance. */
type WebSocket = Default;

/** The namespace of the ES module's default export, member for member. */
declare namespace WebSocket {
  type WebSocket = Default.WebSocket;
  type WebSocketServer<T extends WebSocketOrClass = Default> = Default.WebSocketServer<T>;
  type Server<T extends WebSocketOrClass = Default> = Default.Server<T>;
  type ServerOptions<T extends WebSocketOrClass = Default> = Default.ServerOptions<T>;
  type ClientOptions = Default.ClientOptions;
  type PerMessageDeflateOptions = Default.PerMessageDeflateOptions;
  type ProxyConfig = Default.ProxyConfig;
  type ProxyOption = Default.ProxyOption;
  type RawData = Default.RawData;
  type Data = Default.Data;
  type CertMeta = Default.CertMeta;
  type BinaryType = Default.BinaryType;
  type Sendable = Default.Sendable;
  type SendOptions = Default.SendOptions;
  type SendCallback = Default.SendCallback;
  type Event = Default.Event;
  type CloseEvent = Default.CloseEvent;
  type ErrorEvent = Default.ErrorEvent;
  type MessageEvent = Default.MessageEvent;
  type WebSocketEventMap = Default.WebSocketEventMap;
  type WebSocketEventTypes = Default.WebSocketEventTypes;
  type EventListenerLike<E extends Default.Event = Default.Event> = Default.EventListenerLike<E>;
  type EventListenerOptions = Default.EventListenerOptions;
  type AddressInfo = Default.AddressInfo;
  type VerifyClientInfo = Default.VerifyClientInfo;
  type VerifyClientCallbackSync = Default.VerifyClientCallbackSync;
  type VerifyClientCallbackAsync = Default.VerifyClientCallbackAsync;
  type FinishRequestCallback = Default.FinishRequestCallback;
  type WebSocketEvents = Default.WebSocketEvents;
  type WebSocketServerEvents<T extends WebSocketOrClass = Default> = Default.WebSocketServerEvents<T>;
  type WebSocketOptions = Default.WebSocketOptions;
}

/** A WebSocket (sub)class instance, or the class itself as `@types/ws` generics take it. */
type WebSocketOrClass = Default | (abstract new (...args: never[]) => Default);

export = WebSocket;
