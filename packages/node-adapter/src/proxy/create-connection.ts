/**
 * A `createConnection` for http(s).request that goes through a proxy tunnel: the tunnel as is for
 * ws:, or TLS to the target inside it for wss: (SNI and certificate checks are the target's, with
 * the WebSocket's own `ca`/`rejectUnauthorized`/... options).
 */
import type { ClientRequestArgs } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { ResolvedProxy } from './options.js';
import { type TunnelOptions, openTunnel } from './tunnel.js';

type Callback = (error: Error | null, socket: Duplex) => void;

export function tunnelConnection(
  proxy: ResolvedProxy,
  secure: boolean,
  tunnelOptions: TunnelOptions,
): (options: ClientRequestArgs, callback?: Callback) => undefined {
  return (options, callback) => {
    const host = options.host ?? 'localhost';
    const port = Number(options.port);
    // The socket is handed over later through the callback: returning undefined tells http so.
    openTunnel(proxy, host, port, tunnelOptions).then(
      (tunnel) => {
        if (!secure) {
          callback?.(null, tunnel);
          return;
        }
        const tlsOptions = options as ClientRequestArgs & tls.ConnectionOptions;
        const servername = tlsOptions.servername ?? (net.isIP(host) ? undefined : host);
        const socket = tls.connect({ ...tlsOptions, path: undefined, socket: tunnel, host, servername } as tls.ConnectionOptions);
        callback?.(null, socket);
      },
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  };
}
