/**
 * @sansock/node/faye: a drop-in for `faye-websocket` 0.11.4 on the sansock core. The default
 * export (and, from CommonJS, `module.exports`) is the server-side WebSocket class, carrying
 * `Client`, `EventSource`, `isWebSocket` and `validateOptions` as faye's does.
 */
import { FayeClient } from './client.js';
import { FayeEventSource } from './eventsource.js';
import { validateOptions } from './options.js';
import { FayeServerWebSocket, isWebSocket } from './server-websocket.js';

export class WebSocket extends FayeServerWebSocket {
  static readonly isWebSocket = isWebSocket;
  static readonly validateOptions = validateOptions;
  static readonly Client = FayeClient;
  static readonly EventSource = FayeEventSource;
  /** faye's `WebSocket.WebSocket`: the class itself. */
  static readonly WebSocket: typeof WebSocket = WebSocket;
}

export { FayeClient as Client, FayeEventSource as EventSource, isWebSocket, validateOptions };
export { CloseEvent, ErrorEvent, FayeEvent as Event, MessageEvent, OpenEvent } from './event.js';
export type { FayeListener } from './event.js';
export type {
  FayeExtension,
  FayeMessage,
  FayeParams,
  FayeSession,
  FayeClientSession,
  FayeServerSession,
} from './extension-adapter.js';
export type { FayeClientOptions, FayeEventSourceOptions, FayeProxyOptions, FayeWebSocketOptions } from './options.js';
export type { EventSourceSendOptions } from './eventsource.js';
export default WebSocket;
