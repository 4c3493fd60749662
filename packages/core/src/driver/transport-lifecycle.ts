import type { Clock, TimerHandle, Transport } from './transport.js';

/**
 * The transport's side of the lifecycle; the protocol's side is the core's ConnectionState.
 * ATTACHED: reading and writing. CLOSING: we terminated it, or the peer ended its side (the
 * protocol may still be OPEN, but readyState is CLOSING). GONE: it closed; nothing is read.
 */
const ATTACHED = 0;
const CLOSING = 1;
const GONE = 2;
type TransportState = typeof ATTACHED | typeof CLOSING | typeof GONE;

/**
 * The transport's state and the close timer that drops a transport whose peer never finishes
 * the closing handshake (RFC 6455 §7.1.1). Transitions only go forward: ATTACHED, CLOSING, GONE.
 */
export class TransportLifecycle {
  private state: TransportState = ATTACHED;
  private closeTimer: TimerHandle = undefined;

  constructor(
    private readonly transport: Transport,
    private readonly clock: Clock,
    /** Milliseconds to wait for the peer's close frame, or for a client the server's TCP close. */
    private readonly closeTimeout: number,
  ) {}

  /** Reading and writing: neither side has ended the transport. */
  get isAttached(): boolean {
    return this.state === ATTACHED;
  }

  /** The transport closed: nothing more is read. */
  get isGone(): boolean {
    return this.state === GONE;
  }

  /** We terminated the transport or ended it after an error, or the peer ended its side. */
  detach(): void {
    if (this.state === ATTACHED) this.state = CLOSING;
  }

  /** The transport closed; false if it was already gone. The close timer is no longer needed. */
  markGone(): boolean {
    if (this.state === GONE) return false;
    this.state = GONE;
    this.clearCloseTimer();
    return true;
  }

  /** Drops the transport after the close timeout, unless it closes first (one timer at most). */
  startCloseTimer(): void {
    if (this.closeTimer !== undefined || this.state === GONE) return;
    this.closeTimer = this.clock.setTimer(this.closeTimeout, () => this.transport.destroy());
  }

  clearCloseTimer(): void {
    if (this.closeTimer !== undefined) this.clock.clearTimer(this.closeTimer);
    this.closeTimer = undefined;
  }
}
