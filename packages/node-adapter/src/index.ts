/**
 * @sansock/node: WebSockets for Node.js on the sansock core, a drop-in replacement for `ws`.
 *
 *   import WebSocket, { WebSocketServer, createWebSocketStream } from '@sansock/node';
 *
 * Published as ONE CommonJS build (dist/index.cjs, whose module.exports is the WebSocket class
 * carrying everything below) with a thin ES module wrapper over it (src/index.esm-wrapper.mjs):
 * `import` and `require` get the same objects.
 */
import type { ClientRequest } from 'node:http';
import type { AddressInfo as NetAddressInfo } from 'node:net';
import { accelerators } from './accelerators.js';
import { CLOSE_TIMEOUT } from './constants.js';
import type { BinaryType, Data, RawData, Sendable } from './data.js';
import { CloseEvent, ErrorEvent, Event, MessageEvent } from './event-target.js';
import type { EventListenerLike, WebSocketEventTypes } from './event-target.js';
import type { PerMessageDeflateOptions } from './extension-factories.js';
import type { ProxyConfig, ProxyOption } from './proxy/options.js';
import {
  SERVER_CONNECTIONS_CHECKING_INTERVAL,
  SERVER_HEADERS_TIMEOUT,
  SERVER_REQUEST_TIMEOUT,
  WebSocketServer,
} from './server.js';
import type {
  ServerOptions,
  VerifyClientCallbackAsync,
  VerifyClientCallbackSync,
  VerifyClientInfo,
  WebSocketServerEvents,
} from './server.js';
import { ConnectProtocolUnsupportedError } from './http2/session-pool.js';
import { isHttp2Request } from './http2/request.js';
import { createWebSocketStream } from './stream.js';
import { WebSocketError } from './websocket-error.js';
import { WebSocketStream } from './websocket-stream.js';
import type { SendCallback, SendOptions, WebSocketEvents, WebSocketOptions } from './types.js';
import { WebSocket as WebSocketClass } from './websocket.js';
import type { ClientOptions } from './websocket.js';

/**
 * `ws` hangs everything off the WebSocket class too (`WebSocket.WebSocketServer`, ...), and so
 * does this package: every value export is also a static of the class, which is what
 * `require('@sansock/node')` returns. They are typed here, not in websocket.ts, which would
 * otherwise import server.ts and stream.ts (both import it).
 */
export interface WebSocketStatics {
  WebSocket: typeof WebSocketClass & WebSocketStatics;
  WebSocketServer: typeof WebSocketServer;
  /** `ws`'s older name for WebSocketServer (`new WebSocket.Server(...)`). */
  Server: typeof WebSocketServer;
  createWebSocketStream: typeof createWebSocketStream;
  /** Not in `ws`: the WHATWG streams-based WebSocket (see the README's WebSocketStream section). */
  WebSocketStream: typeof WebSocketStream;
  WebSocketError: typeof WebSocketError;
  Event: typeof Event;
  CloseEvent: typeof CloseEvent;
  ErrorEvent: typeof ErrorEvent;
  MessageEvent: typeof MessageEvent;
  CLOSE_TIMEOUT: typeof CLOSE_TIMEOUT;
  SERVER_HEADERS_TIMEOUT: typeof SERVER_HEADERS_TIMEOUT;
  SERVER_REQUEST_TIMEOUT: typeof SERVER_REQUEST_TIMEOUT;
  SERVER_CONNECTIONS_CHECKING_INTERVAL: typeof SERVER_CONNECTIONS_CHECKING_INTERVAL;
  /** The native helpers (bufferutil masking, buffer.isUtf8) @sansock/node hands the core, for your own core-based transports. */
  nodeAccelerators: typeof accelerators;
  /** The `http2` client option: the server's SETTINGS do not allow extended CONNECT (RFC 8441 §3). */
  ConnectProtocolUnsupportedError: typeof ConnectProtocolUnsupportedError;
  /** Whether a server-side request came over HTTP/2 (RFC 8441) rather than an HTTP/1.1 upgrade. */
  isHttp2Request: typeof isHttp2Request;
  /** The class itself, for code compiled to CommonJS from `import WebSocket from '@sansock/node'`. */
  default: typeof WebSocketClass & WebSocketStatics;
}

const WebSocket = WebSocketClass as typeof WebSocketClass & WebSocketStatics;
type WebSocket = WebSocketClass;
const statics: WebSocketStatics = {
  WebSocket,
  WebSocketServer,
  Server: WebSocketServer,
  createWebSocketStream,
  WebSocketStream,
  WebSocketError,
  Event,
  CloseEvent,
  ErrorEvent,
  MessageEvent,
  CLOSE_TIMEOUT,
  SERVER_HEADERS_TIMEOUT,
  SERVER_REQUEST_TIMEOUT,
  SERVER_CONNECTIONS_CHECKING_INTERVAL,
  nodeAccelerators: accelerators,
  ConnectProtocolUnsupportedError,
  isHttp2Request,
  default: WebSocket,
};
Object.assign(WebSocket, statics);

/**
 * The types `@types/ws` hangs off its default export (`WebSocket.RawData`,
 * `WebSocket.ServerOptions`, ...), so code written for it compiles unchanged:
 *
 *   import WebSocket from '@sansock/node';
 *   ws.on('message', (data: WebSocket.RawData) => ...);
 *
 * Types only (no run-time value): it merges with the `WebSocket` value and type above. The
 * CommonJS typings (index.d.cts) repeat it for `import WebSocket = require('@sansock/node')`.
 */
declare namespace WebSocket {
  /** The instance type (`WebSocket.WebSocket`, as `ws`'s `const { WebSocket } = require('ws')`). */
  type WebSocket = NsWebSocket;
  /** The server; a WebSocket subclass may be given as instance type or, as `@types/ws` does, as `typeof` the class. */
  type WebSocketServer<T extends WebSocketOrClass = NsWebSocket> = NsServer<InstanceOf<T>>;
  /** `ws`'s older name for WebSocketServer. */
  type Server<T extends WebSocketOrClass = NsWebSocket> = NsServer<InstanceOf<T>>;
  type ServerOptions<T extends WebSocketOrClass = NsWebSocket> = NsServerOptions<InstanceOf<T>>;
  type ClientOptions = NsClientOptions;
  type PerMessageDeflateOptions = NsPerMessageDeflateOptions;
  /** The `proxy` client option (an HTTP CONNECT proxy, or 'env'). */
  type ProxyConfig = NsProxyConfig;
  type ProxyOption = NsProxyOption;
  type RawData = NsRawData;
  type Data = NsData;
  /** Certificate and key material, as `checkServerIdentity` and the TLS options take it. */
  type CertMeta = string | string[] | Buffer | Buffer[];
  type BinaryType = NsBinaryType;
  type Sendable = NsSendable;
  type SendOptions = NsSendOptions;
  type SendCallback = NsSendCallback;
  type Event = NsEvent;
  type CloseEvent = NsCloseEvent;
  type ErrorEvent = NsErrorEvent;
  type MessageEvent = NsMessageEvent;
  type WebSocketEventMap = NsWebSocketEventTypes;
  type WebSocketEventTypes = NsWebSocketEventTypes;
  type EventListenerLike<E extends NsEvent = NsEvent> = NsEventListenerLike<E>;
  /** The options `addEventListener` takes. */
  interface EventListenerOptions {
    once?: boolean | undefined;
  }
  /** What `server.address()` returns for a TCP server. */
  type AddressInfo = NsAddressInfo;
  type VerifyClientInfo = NsVerifyClientInfo;
  type VerifyClientCallbackSync = NsVerifyClientCallbackSync;
  type VerifyClientCallbackAsync = NsVerifyClientCallbackAsync;
  /** The `finishRequest` client option: finish the handshake request yourself (`request.end()`). */
  type FinishRequestCallback = (request: NsClientRequest, websocket: NsWebSocket) => void;
  type WebSocketEvents = NsWebSocketEvents;
  type WebSocketServerEvents<T extends WebSocketOrClass = NsWebSocket> = NsWebSocketServerEvents<InstanceOf<T>>;
  type WebSocketOptions = NsWebSocketOptions;
}

// What the namespace refers to, under names it does not declare itself (the d.ts bundler would
// otherwise resolve `type RawData = RawData` inside it to itself).
type NsWebSocket = WebSocketClass;
type NsServer<T extends WebSocketClass> = WebSocketServer<T>;
type NsServerOptions<T extends WebSocketClass> = ServerOptions<T>;
type NsClientOptions = ClientOptions;
type NsPerMessageDeflateOptions = PerMessageDeflateOptions;
type NsProxyConfig = ProxyConfig;
type NsProxyOption = ProxyOption;
type NsRawData = RawData;
type NsData = Data;
type NsBinaryType = BinaryType;
type NsSendable = Sendable;
type NsSendOptions = SendOptions;
type NsSendCallback = SendCallback;
type NsEvent = Event;
type NsCloseEvent = CloseEvent;
type NsErrorEvent = ErrorEvent;
type NsMessageEvent = MessageEvent;
type NsWebSocketEventTypes = WebSocketEventTypes;
type NsEventListenerLike<E extends Event> = EventListenerLike<E>;
type NsAddressInfo = NetAddressInfo;
type NsVerifyClientInfo = VerifyClientInfo;
type NsVerifyClientCallbackSync = VerifyClientCallbackSync;
type NsVerifyClientCallbackAsync = VerifyClientCallbackAsync;
type NsClientRequest = ClientRequest;
type NsWebSocketEvents = WebSocketEvents;
type NsWebSocketServerEvents<T extends WebSocketClass> = WebSocketServerEvents<T>;
type NsWebSocketOptions = WebSocketOptions;

/** A WebSocket (sub)class instance, or the class itself as `@types/ws` generics take it. */
type WebSocketOrClass = WebSocketClass | (abstract new (...args: never[]) => WebSocketClass);
type InstanceOf<T extends WebSocketOrClass> = T extends abstract new (...args: never[]) => infer I ? I : T;

export default WebSocket;
export {
  WebSocket,
  WebSocketServer,
  createWebSocketStream,
  WebSocketStream,
  WebSocketError,
  CloseEvent,
  ErrorEvent,
  Event,
  MessageEvent,
  CLOSE_TIMEOUT,
  SERVER_CONNECTIONS_CHECKING_INTERVAL,
  SERVER_HEADERS_TIMEOUT,
  SERVER_REQUEST_TIMEOUT,
  accelerators as nodeAccelerators,
  ConnectProtocolUnsupportedError,
  isHttp2Request,
};
export type { Http2WebSocketServer } from './http2/attach-server.js';
export type { EventListenerLike, WebSocketEventTypes } from './event-target.js';
export type { ClientOptions } from './websocket.js';
export type { FragmentInfo, KeepAliveOption, SendCallback, SendOptions, WebSocketEvents, WebSocketOptions } from './types.js';
export type { PingAndWaitOptions, PingPayload } from './ping-and-wait.js';
export type {
  ServerOptions,
  VerifyClientCallbackAsync,
  VerifyClientCallbackSync,
  VerifyClientInfo,
  WebSocketServerEvents,
} from './server.js';
export type { BinaryType, Data, RawData, Sendable } from './data.js';
export type { PerMessageDeflateOptions } from './extension-factories.js';
export type { WebSocketCloseInfo, WebSocketCloseResult } from './websocket-error.js';
export type {
  FromWebSocketOptions,
  WebSocketOpenInfo,
  WebSocketStreamMessage,
  WebSocketStreamOptions,
  WebSocketStreamWritable,
} from './websocket-stream.js';
export type { PublishData, PublishOptions } from './topics/server-topics.js';
export type { PublishCounters } from './topics/shared-frame.js';
export type { ProxyConfig, ProxyOption } from './proxy/options.js';
/** The other names `@types/ws` exports (also reachable as `WebSocket.Data`, ...). */
export type CertMeta = WebSocket.CertMeta;
export type AddressInfo = WebSocket.AddressInfo;
export type EventListenerOptions = WebSocket.EventListenerOptions;
export type FinishRequestCallback = WebSocket.FinishRequestCallback;
export type Server<T extends WebSocketOrClass = WebSocketClass> = WebSocket.Server<T>;
