import type { ConnectionOptions } from '../connection-options.js';
import type { KeepAliveOptions } from './keep-alive.js';
import type { Clock, DriverEvents, Transport } from './transport.js';

/** How long to wait for the peer's side of the closing handshake before dropping the transport (ms), like `ws`. */
export const DEFAULT_CLOSE_TIMEOUT = 30_000;
/** At most this many automatic pongs may wait for the transport before the peer is cut off, like `ws`. */
export const DEFAULT_MAX_PENDING_AUTO_PONGS = 60;

export interface DriverOptions {
  /**
   * The core's options; `onWake` is the driver's own. With `deliverFragments`, pieces of
   * messages go to `DriverEvents.onFragment` (which must then be given) instead of `onMessage`.
   */
  readonly connection: Omit<ConnectionOptions, 'onWake'>;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly events: DriverEvents;
  /** Milliseconds to wait for the peer's close frame, or for a client the server's TCP close (§7.1.1). Default 30000. */
  readonly closeTimeout?: number;
  /** Automatic pongs allowed to wait for the transport before the peer is terminated (a ping flood). Default 60; 0 = no limit. */
  readonly maxPendingAutoPongs?: number;
  /** False: one 'message'/'ping'/'pong' per `Clock.later` turn. Default true. */
  readonly allowSynchronousEvents?: boolean;
  /** Ping a silent peer, and drop one that stays silent (see keep-alive.ts). Needs `Clock.now`. Default off. */
  readonly keepAlive?: KeepAliveOptions;
  /** `pingAndWait` calls that may wait at once; past it the oldest fails (`WS_ERR_TOO_MANY_PINGS`). Default 1024; 0 = no limit. */
  readonly maxPongWaiters?: number;
  /**
   * Sends return false once `bufferedAmount` is past this many bytes, and `DriverEvents.onDrain`
   * follows when it is back at or below (see high-water.ts). Default 16 MiB.
   */
  readonly sendHighWaterMark?: number;
}
