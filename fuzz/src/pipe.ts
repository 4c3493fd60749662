/**
 * Two core Connections (client and server) wired through an in-memory "TCP" that splits,
 * delays and coalesces writes as a schedule says, as a real network may.
 */
import { type ClosedEvent, Connection, type ConnectionEvent } from '@sansock/core';
import { concat } from './bytes.js';
import { drain } from './drive.js';
import type { SendOp } from './arbitraries.js';
import { applyOp } from './send.js';

export type SideName = 'client' | 'server';
export type PipeAction = SendOp | { readonly kind: 'close'; readonly code: number | undefined; readonly reason: string };

export interface PipeScript {
  /** Actions run at a step, by side. Actions a side can no longer do (it is closing) are skipped. */
  readonly actions: ReadonlyArray<{ readonly step: number; readonly side: SideName; readonly action: PipeAction }>;
  /** Each step delivers up to `size` pending bytes in one direction (`toServer`: client → server). */
  readonly steps: ReadonlyArray<{ readonly toServer: boolean; readonly size: number }>;
  readonly fragmentSize: { readonly client: number | undefined; readonly server: number | undefined };
  /**
   * The network fails at `step`: from then on nothing more arrives in the given direction(s).
   * At the end, both sides' transports are torn down (their close timers fire).
   */
  readonly cut?: { readonly step: number; readonly toServer: boolean; readonly toClient: boolean };
}

/** What one side saw, as a user of the Connection. */
export type Seen =
  | { readonly kind: 'message'; readonly binary: boolean; readonly data: Uint8Array }
  | { readonly kind: 'ping' | 'pong'; readonly data: Uint8Array }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string };

class Side {
  readonly seen: Seen[] = [];
  readonly events: ConnectionEvent[] = [];
  /** What this side successfully sent, as the peer should see it. */
  readonly sent: Seen[] = [];
  /** The close code this side put in its own close frame if it started the close (1005: none). */
  closeCodeSent: number | undefined;
  outbox: Uint8Array = new Uint8Array(0);
  ending = false;
  transportClosed = false;
  closed: ClosedEvent | undefined;
  constructor(readonly conn: Connection) {}

  pump(): void {
    for (const event of drain(this.conn)) {
      this.events.push(event);
      if (event.type === 'message') this.seen.push({ kind: 'message', binary: event.binary, data: event.data.slice() });
      else if (event.type === 'ping' || event.type === 'pong') this.seen.push({ kind: event.type, data: event.data.slice() });
      else if (event.type === 'close') this.seen.push({ kind: 'close', code: event.code, reason: event.reason });
      else if (event.type === 'close-transport') this.ending = true;
      else if (event.type === 'closed') this.closed = event;
    }
    const out = this.conn.takeOutput();
    if (out.length > 0) this.outbox = concat([this.outbox, ...out]);
  }
}

export interface PipeResult {
  readonly client: Side;
  readonly server: Side;
}

function perform(side: Side, action: PipeAction): void {
  const conn = side.conn;
  if (conn.state !== 'OPEN') return;
  switch (action.kind) {
    case 'close':
      conn.close(action.code, action.reason);
      side.closeCodeSent = action.code ?? 1005;
      return;
    default:
      for (const seen of applyOp(conn, action)) side.sent.push(seen);
  }
}

/** Moves up to `size` bytes from `from`'s outbox to `to`; a side that must end its transport does so once its outbox is empty. */
function deliver(from: Side, to: Side, size: number, lost = false): boolean {
  if (lost) {
    // A dead link: bytes vanish, and neither a FIN nor anything else gets through.
    from.outbox = new Uint8Array(0);
    return false;
  }
  let progressed = false;
  if (from.outbox.length > 0 && !to.transportClosed) {
    const n = Math.min(size, from.outbox.length);
    to.conn.receiveData(from.outbox.slice(0, n));
    from.outbox = from.outbox.subarray(n);
    to.pump();
    progressed = true;
  }
  if (from.ending && from.outbox.length === 0 && !from.transportClosed) {
    // TCP close: the peer reads EOF, and this side's transport is gone too.
    from.transportClosed = true;
    from.conn.receiveData(null);
    from.pump();
    if (!to.transportClosed) {
      to.transportClosed = true;
      to.conn.receiveData(null);
      to.pump();
    }
    progressed = true;
  }
  return progressed;
}

export function runPipe(script: PipeScript): PipeResult {
  const client = new Side(new Connection({ role: 'client', autoPong: false, fragmentSize: script.fragmentSize.client }));
  const server = new Side(new Connection({ role: 'server', autoPong: false, fragmentSize: script.fragmentSize.server }));
  const lastStep = Math.max(script.steps.length, ...script.actions.map((a) => a.step + 1));
  const cut = script.cut;
  const lostToServer = (step: number) => cut !== undefined && cut.toServer && step >= cut.step;
  const lostToClient = (step: number) => cut !== undefined && cut.toClient && step >= cut.step;
  for (let step = 0; step < lastStep; step++) {
    for (const { side, action, step: at } of script.actions) {
      if (at !== step) continue;
      const s = side === 'client' ? client : server;
      perform(s, action);
      s.pump();
    }
    const move = script.steps[step];
    if (move === undefined) continue;
    if (move.toServer) deliver(client, server, move.size, lostToServer(step));
    else deliver(server, client, move.size, lostToClient(step));
  }
  // Flush: the network eventually delivers everything, in order (what still gets through).
  for (let rounds = 0; rounds < 100_000; rounds++) {
    const a = deliver(client, server, 1 << 20, lostToServer(Infinity));
    const b = deliver(server, client, 1 << 20, lostToClient(Infinity));
    if (!a && !b) break;
  }
  if (script.cut !== undefined) {
    // The close timers fire (or keepalives give up): each side destroys its transport.
    for (const side of [client, server]) {
      if (side.transportClosed) continue;
      side.transportClosed = true;
      side.conn.receiveData(null);
      side.pump();
    }
  }
  return { client, server };
}
