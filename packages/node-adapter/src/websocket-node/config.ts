/** The settings WebSocket-Node's server and client take, with its defaults (lib/WebSocketServer.js, lib/WebSocketClient.js). */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { ConnectionOptions as TlsOptions } from 'node:tls';

/** What a WebSocketConnection reads from its server's or client's config. */
export interface ConnectionConfig {
  /** Largest frame accepted (bytes); a bigger one drops the connection with 1009. */
  maxReceivedFrameSize?: number;
  /** Largest message accepted (bytes), all fragments together; beyond it, 1009. */
  maxReceivedMessageSize?: number;
  /** Split outgoing messages longer than `fragmentationThreshold` into fragments. */
  fragmentOutgoingMessages?: boolean;
  fragmentationThreshold?: number;
  /** Ping after `keepaliveInterval` ms of silence from the peer (server only in WebSocket-Node). */
  keepalive?: boolean;
  keepaliveInterval?: number;
  /** Drop a peer that sends nothing for `keepaliveGracePeriod` ms after the keep-alive ping. */
  dropConnectionOnKeepaliveTimeout?: boolean;
  keepaliveGracePeriod?: number;
  /** Use TCP keep-alive (`socket.setKeepAlive`) instead of pings. */
  useNativeKeepalive?: boolean;
  /** False: no 'message' events; every frame is emitted as a 'frame' event instead. */
  assembleFragments?: boolean;
  disableNagleAlgorithm?: boolean;
  /** Milliseconds to wait for the peer's close frame after sending ours. */
  closeTimeout?: number;
}

export interface IServerConfig extends ConnectionConfig {
  /** The http(s) server(s) whose 'upgrade' events this server answers. Required. */
  httpServer: HttpServer | HttpsServer | Array<HttpServer | HttpsServer>;
  /** Accept every request with its first protocol (not for production: no origin check). */
  autoAcceptConnections?: boolean;
  /** Use the socket's address even when an X-Forwarded-For header is present. */
  ignoreXForwardedFor?: boolean;
  parseCookies?: boolean;
  parseExtensions?: boolean;
}

export interface IClientConfig extends ConnectionConfig {
  /** 8 or 13. */
  webSocketVersion?: number;
  /** Options for `https.request` with wss: URLs. */
  tlsOptions?: TlsOptions & { headers?: Record<string, string> };
}

/** A server's config once its defaults are filled in. */
export type ResolvedServerConfig = Required<Omit<IServerConfig, 'httpServer'>> & {
  httpServer: Array<HttpServer | HttpsServer>;
};

export type ResolvedClientConfig = Required<Omit<IClientConfig, 'keepalive' | 'keepaliveInterval' | 'dropConnectionOnKeepaliveTimeout' | 'keepaliveGracePeriod' | 'useNativeKeepalive'>> &
  ConnectionConfig;

export const SERVER_DEFAULTS: Readonly<Omit<ResolvedServerConfig, 'httpServer'>> = Object.freeze({
  maxReceivedFrameSize: 0x10000,
  maxReceivedMessageSize: 0x100000,
  fragmentOutgoingMessages: true,
  fragmentationThreshold: 0x4000,
  keepalive: true,
  keepaliveInterval: 20000,
  dropConnectionOnKeepaliveTimeout: true,
  keepaliveGracePeriod: 10000,
  useNativeKeepalive: false,
  assembleFragments: true,
  autoAcceptConnections: false,
  ignoreXForwardedFor: false,
  parseCookies: true,
  parseExtensions: true,
  disableNagleAlgorithm: true,
  closeTimeout: 5000,
});

export const CLIENT_DEFAULTS: Readonly<Omit<ResolvedClientConfig, 'tlsOptions'>> = Object.freeze({
  maxReceivedFrameSize: 0x100000,
  maxReceivedMessageSize: 0x800000,
  fragmentOutgoingMessages: true,
  fragmentationThreshold: 0x4000,
  webSocketVersion: 13,
  assembleFragments: true,
  disableNagleAlgorithm: true,
  closeTimeout: 5000,
});
