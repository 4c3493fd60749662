/**
 * One `http2.connect` session per origin (and TLS identity), shared by every WebSocket opened
 * over HTTP/2 to it: reference-counted, closed when its last stream is gone. A stream may only
 * be opened once the server's SETTINGS have arrived with SETTINGS_ENABLE_CONNECT_PROTOCOL = 1
 * (RFC 8441 §3); a server that leaves it out gets a clear error, not a CONNECT it would refuse.
 */
import http2 from 'node:http2';
import type tls from 'node:tls';

/** The `http2.connect` options a WebSocket passes on (TLS ones: `ca`, `rejectUnauthorized`...). */
export type SessionOptions = http2.SecureClientSessionOptions;

export class ConnectProtocolUnsupportedError extends Error {
  readonly code = 'WS_ERR_HTTP2_CONNECT_PROTOCOL_UNSUPPORTED';
  constructor(origin: string) {
    super(`The HTTP/2 server at ${origin} does not accept WebSockets (no SETTINGS_ENABLE_CONNECT_PROTOCOL, RFC 8441 §3)`);
    this.name = 'ConnectProtocolUnsupportedError';
  }
}

type Ready = (error: Error | null, session: http2.ClientHttp2Session) => void;

class PooledSession {
  users = 0;
  private settled: Error | null | undefined = undefined;
  private waiting: Ready[] = [];

  constructor(
    readonly session: http2.ClientHttp2Session,
    origin: string,
    private readonly forget: () => void,
  ) {
    session.once('remoteSettings', (settings) => {
      this.settle(settings.enableConnectProtocol === true ? null : new ConnectProtocolUnsupportedError(origin));
    });
    // Errors reach every stream as well; this listener keeps one from being an uncaught exception.
    session.on('error', (error) => this.settle(error));
    session.once('close', () => {
      this.forget();
      this.settle(new Error(`The HTTP/2 session to ${origin} closed`));
    });
  }

  /** Calls back once the server's SETTINGS said whether extended CONNECT is allowed. */
  whenReady(ready: Ready): void {
    if (this.settled === undefined) this.waiting.push(ready);
    else ready(this.settled, this.session);
  }

  release(): void {
    if (--this.users > 0) return;
    this.forget();
    // Lets streams still closing finish, then sends GOAWAY and closes the connection.
    this.session.close();
  }

  private settle(result: Error | null): void {
    if (this.settled !== undefined) return;
    this.settled = result;
    const waiting = this.waiting;
    this.waiting = [];
    for (const ready of waiting) ready(result, this.session);
  }
}

const pool = new Map<string, PooledSession>();

/** Per-object ids, so sessions with different CAs or client certificates are never shared. */
const identities = new WeakMap<object, number>();
let nextIdentity = 1;
function identity(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object' && typeof value !== 'function') return String(value);
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = nextIdentity++));
  return `#${id}`;
}

function poolKey(origin: string, options: SessionOptions): string {
  const tlsOptions = options as tls.ConnectionOptions;
  return [
    origin,
    tlsOptions.rejectUnauthorized === false ? 'insecure' : 'verified',
    identity(tlsOptions.ca),
    identity(tlsOptions.cert),
    identity(tlsOptions.key),
    identity(tlsOptions.pfx),
    identity(tlsOptions.servername),
    identity(tlsOptions.checkServerIdentity),
  ].join('|');
}

export interface SessionLease {
  /** Calls back with the session once it may carry extended CONNECT streams, or with why not. */
  whenReady(ready: Ready): void;
  /** Gives the lease back (once); the session closes when no lease is left. */
  release(): void;
}

/** Takes a lease on the shared session for `origin` (`https://host:port` or `http://...` for h2c). */
export function leaseSession(origin: string, options: SessionOptions): SessionLease {
  const key = poolKey(origin, options);
  let pooled = pool.get(key);
  if (pooled === undefined || pooled.session.closed || pooled.session.destroyed) {
    const session = http2.connect(origin, options);
    const created: PooledSession = new PooledSession(session, origin, () => {
      if (pool.get(key) === created) pool.delete(key);
    });
    pooled = created;
    pool.set(key, pooled);
  }
  const leased = pooled;
  leased.users++;
  let released = false;
  return {
    whenReady: (ready) => leased.whenReady(ready),
    release: () => {
      if (released) return;
      released = true;
      leased.release();
    },
  };
}

/** Sessions currently open, for tests that check sharing and clean-up. */
export function openSessionCount(): number {
  return pool.size;
}
