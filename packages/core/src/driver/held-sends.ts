import type { SendOptions } from '../connection.js';
import type { SendCallback } from './send-callbacks.js';
import type { Clock } from './transport.js';

/** What an asynchronous payload goes out as. */
export type AsyncSendKind = 'message' | 'ping' | 'pong';

/**
 * What the held sends need from the driver. An object of closures (not the driver itself, so
 * the driver grows no public methods); it is made only when the first asynchronous send comes.
 */
export interface HeldSendsOwner {
  /** Messages may be sent (the driver's `isOpen`). */
  isOpen(): boolean;
  readyState(): 1 | 2 | 3;
  /** Counts bytes that will never go out in `bufferedAmount`. */
  addUnsent(byteLength: number): void;
  /** Sends a payload that was read, the connection being open and nothing held. */
  sendRead(kind: AsyncSendKind, bytes: Uint8Array, options: SendOptions | undefined, callback: SendCallback | undefined): void;
  /** A payload could not be read: called soon, after the callbacks of the calls held behind it. */
  readFailed(error: Error): void;
}

/** A send, ping, pong or close waiting behind a payload that is being read (see `start`). */
interface HeldCall {
  readonly run: () => void;
  readonly callback: SendCallback | undefined;
  readonly byteLength: number;
}

/**
 * Sends that wait behind an asynchronous payload (a Blob being read): the sends, pings, pongs
 * and close called meanwhile wait here, in call order, and go out after it, so everything
 * reaches the wire in call order; their bytes count in `bufferedAmount` while they wait, like `ws`.
 */
export class HeldSends {
  /** The calls waiting behind the payload being read; null when none is being read (the usual case). */
  private held: HeldCall[] | null = null;
  /** Bytes of payloads being read or held behind one (counted in bufferedAmount, like `ws`). */
  private heldBytes = 0;

  constructor(
    private readonly clock: Clock,
    private readonly owner: HeldSendsOwner,
  ) {}

  /** A payload is being read: every send must wait behind it (`hold`, `holdClose`). */
  get isHolding(): boolean {
    return this.held !== null;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * Sends a payload that is still being read (`read` resolves with its bytes), as a message,
   * ping or pong, after whatever is already held. If the read fails, the calls held behind it
   * fail with its error, and then the owner is told (`readFailed`).
   */
  start(
    kind: AsyncSendKind,
    read: Promise<Uint8Array>,
    byteLength: number,
    options: SendOptions | undefined,
    callback: SendCallback | undefined,
  ): void {
    if (this.held !== null) {
      this.heldBytes += byteLength;
      this.held.push({
        run: () => {
          this.heldBytes -= byteLength;
          this.start(kind, read, byteLength, options, callback);
        },
        callback,
        byteLength,
      });
      return;
    }
    const held: HeldCall[] = (this.held = []);
    this.heldBytes += byteLength;
    read.then(
      (bytes) => {
        this.heldBytes -= byteLength;
        this.held = null;
        if (!this.owner.isOpen()) {
          // Like `ws`: this send and every one held behind it fail with the same error.
          this.owner.addUnsent(byteLength);
          this.failHeld(held, new Error('The socket was closed while the blob was being read'), callback);
          return;
        }
        this.owner.sendRead(kind, bytes, options, callback);
        for (const call of held) call.run();
      },
      (error: unknown) => {
        this.heldBytes -= byteLength;
        this.held = null;
        const reason = error instanceof Error ? error : new Error(String(error));
        this.failHeld(held, reason, callback);
        // Like `ws`: the connection reports the error and ends (after the callbacks).
        this.clock.soon((e: Error) => this.owner.readFailed(e), reason);
      },
    );
  }

  /** A call made while a payload is being read: it runs after that payload, its bytes counted meanwhile. */
  hold(data: Uint8Array | string, run: () => void, callback: SendCallback | undefined): void {
    const byteLength = typeof data === 'string' ? utf8Length(data) : data.byteLength;
    this.heldBytes += byteLength;
    this.held!.push({
      run: () => {
        this.heldBytes -= byteLength;
        if (this.owner.isOpen()) run();
        else this.refuse(byteLength, callback);
      },
      callback,
      byteLength,
    });
  }

  /** A close called while a payload is being read: after it, like any send (`ws` queues its close frame the same way). */
  holdClose(run: () => void): void {
    this.held!.push({ run, callback: undefined, byteLength: 0 });
  }

  /** The calls held behind a payload that will not go out: their bytes stay counted as unsent, their callbacks get `error`. */
  private failHeld(held: readonly HeldCall[], error: Error, first: SendCallback | undefined): void {
    for (const call of held) this.owner.addUnsent(call.byteLength);
    this.clock.soon((e: Error) => {
      first?.(e);
      for (const call of held) call.callback?.(e);
    }, error);
  }

  /** A send that can no longer go out: counted in bufferedAmount, its callback told why (like `ws`). */
  private refuse(byteLength: number, callback: SendCallback | undefined): void {
    this.owner.addUnsent(byteLength);
    if (callback !== undefined) {
      const state = this.owner.readyState();
      const name = state === 1 ? 'OPEN' : state === 2 ? 'CLOSING' : 'CLOSED';
      this.clock.soon(callback, new Error(`WebSocket is not open: readyState ${state} (${name})`));
    }
  }
}

/** UTF-8 length of a string without encoding it. */
function utf8Length(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // 2 bytes below U+0800, 3 above; a surrogate pair (two units) is 4.
    if (unit >= 0x80) length += unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 1 : 2;
  }
  return length;
}
