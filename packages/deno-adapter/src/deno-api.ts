/**
 * The parts of the `Deno` namespace this package uses, as structural types. Written out here so
 * the npm build (tsc/tsup, which has no Deno types) type-checks too; the real `Deno.Conn`,
 * `Deno.TcpListener` and friends are assignable to them.
 */

/** `Deno.Addr`: a NetAddr has hostname and port, a UnixAddr a path. */
export interface DenoAddr {
  readonly transport: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly path?: string;
}

/** `Deno.Conn` (TCP or TLS). */
export interface DenoConn {
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  /** Sends FIN (TLS: close_notify); reading goes on. */
  closeWrite(): Promise<void>;
  close(): void;
  readonly localAddr: DenoAddr;
  readonly remoteAddr: DenoAddr;
  setNoDelay?(noDelay?: boolean): void;
}

/** `Deno.Listener` (TCP or TLS). */
export interface DenoListener {
  accept(): Promise<DenoConn>;
  close(): void;
  readonly addr: DenoAddr;
}

/** TLS material, PEM-encoded, as `Deno.connectTls` / `Deno.listenTls` take it. */
export interface TlsClientOptions {
  /** Extra CA certificates to trust (PEM), e.g. a test server's self-signed certificate. */
  readonly caCerts?: readonly string[];
  /** A client certificate and its key (PEM), for servers that ask for one. */
  readonly cert?: string;
  readonly key?: string;
}

interface DenoNamespace {
  connect(options: { hostname: string; port: number; transport?: 'tcp' }): Promise<DenoConn>;
  connectTls(options: { hostname: string; port: number; caCerts?: string[]; cert?: string; key?: string }): Promise<DenoConn>;
  listen(options: { hostname?: string; port: number; transport?: 'tcp' }): DenoListener;
  listenTls(options: { hostname?: string; port: number; cert: string; key: string }): DenoListener;
}

/** The runtime's `Deno` namespace; throws outside Deno. */
export function deno(): DenoNamespace {
  const namespace = (globalThis as { Deno?: DenoNamespace }).Deno;
  if (namespace === undefined) throw new Error('@sansock/deno needs the Deno runtime (globalThis.Deno is missing)');
  return namespace;
}
