/** Produces real wire bytes by sending through a core Connection, and what the peer must see. */
import { Connection } from '@sansock/core';
import type { SendOp } from './arbitraries.js';
import { concat } from './bytes.js';
import { splitBySizes } from './split.js';

export type Expected = { kind: 'message'; binary: boolean; data: Uint8Array } | { kind: 'ping' | 'pong'; data: Uint8Array };

/**
 * Performs one SendOp on `conn`: a message in `fin: false` pieces with control frames between
 * them, or a control frame. Returns what the peer must receive, in order (controls sent between
 * fragments arrive before the message completes).
 */
export function applyOp(conn: Connection, op: SendOp, compress = true): Expected[] {
  if (op.kind !== 'message') {
    if (op.kind === 'ping') conn.ping(op.data);
    else conn.pong(op.data);
    return [{ kind: op.kind, data: op.data }];
  }
  const expected: Expected[] = [];
  const parts = splitBySizes(op.data, op.pieces);
  parts.forEach((part, index) => {
    conn.send(part, { binary: op.binary, fin: index === parts.length - 1, compress });
    for (const [after, kind, data] of op.between) {
      if (after % parts.length !== index || index === parts.length - 1) continue;
      if (kind === 'ping') conn.ping(data);
      else conn.pong(data);
      expected.push({ kind, data });
    }
  });
  expected.push({ kind: 'message', binary: op.binary, data: op.data });
  return expected;
}

/** Sends `ops` through a fresh Connection; returns the bytes written and what the peer must see. */
export function sendAll(role: 'client' | 'server', fragmentSize: number | undefined, ops: readonly SendOp[]): { stream: Uint8Array; expected: Expected[] } {
  const conn = new Connection({ role, fragmentSize });
  const expected = ops.flatMap((op) => applyOp(conn, op));
  return { stream: concat(conn.takeOutput()), expected };
}
