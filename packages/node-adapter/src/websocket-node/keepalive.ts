/**
 * WebSocket-Node's keep-alive: after `interval` ms without any byte from the peer, send a ping;
 * with `dropAfter`, a peer that still sends nothing for that grace period is dropped, else the
 * ping repeats every interval. Any received byte (a pong included) restarts the wait.
 */
export interface KeepaliveTarget {
  ping(): void;
  /** The grace period ran out. */
  timedOut(): void;
}

export class Keepalive {
  private readonly interval: number;
  private readonly gracePeriod: number | undefined;
  private readonly target: KeepaliveTarget;
  private idleTimer: NodeJS.Timeout | undefined = undefined;
  private graceTimer: NodeJS.Timeout | undefined = undefined;
  private stopped = false;

  /** `gracePeriod` undefined: never drop, keep pinging. */
  constructor(interval: number, gracePeriod: number | undefined, target: KeepaliveTarget) {
    this.interval = interval;
    this.gracePeriod = gracePeriod;
    this.target = target;
    this.activity();
  }

  /** Something arrived from the peer. */
  activity(): void {
    if (this.stopped) return;
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    // Refreshing the one timer costs less than a new one per read.
    if (this.idleTimer !== undefined) this.idleTimer.refresh();
    else this.idleTimer = setTimeout(() => this.idle(), this.interval);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.graceTimer);
    this.idleTimer = this.graceTimer = undefined;
  }

  private idle(): void {
    this.idleTimer = undefined;
    if (this.stopped) return;
    this.target.ping();
    if (this.gracePeriod === undefined) this.idleTimer = setTimeout(() => this.idle(), this.interval);
    else this.graceTimer = setTimeout(() => this.target.timedOut(), this.gracePeriod);
  }
}
