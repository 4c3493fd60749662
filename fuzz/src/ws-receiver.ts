/**
 * The `ws` package's frame receiver as a reference implementation for differential testing.
 * ws 8 exports `Receiver` (a Writable); @types/ws does not describe it, so the little we use
 * is typed here.
 */
import * as wsModule from 'ws';
import type { Ending, Observation } from './drive.js';

interface WsReceiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'ping' | 'pong', listener: (data: Buffer) => void): this;
  on(event: 'conclude', listener: (code: number, reason: Buffer) => void): this;
  _write(chunk: Buffer, encoding: string, callback: (error?: Error | null) => void): void;
}
type WsReceiverConstructor = new (options: { isServer: boolean; maxPayload: number; skipUTF8Validation?: boolean }) => WsReceiver;

const Receiver = (wsModule as unknown as { Receiver: WsReceiverConstructor }).Receiver;

/** ws keeps an error's close code under a symbol described 'status-code'. */
function statusCodeOf(error: Error): number {
  for (const symbol of Object.getOwnPropertySymbols(error)) {
    if (symbol.description === 'status-code') return (error as unknown as Record<symbol, number>)[symbol] ?? -1;
  }
  return -1;
}

export interface WsReadResult {
  readonly observations: Observation[];
  readonly ending: Ending;
}

/**
 * Feeds `stream` to a ws Receiver one byte at a time, so every event and the error carry the
 * exact offset where ws produced them. `_write` is called directly: through `write()`, a
 * Writable reports errors on a later tick, and we need them synchronously.
 */
export function readWithWs(stream: Uint8Array, options: { isServer: boolean; maxPayload: number }): WsReadResult {
  const receiver = new Receiver({ isServer: options.isServer, maxPayload: options.maxPayload });
  const observations: Observation[] = [];
  let ending: Ending = { kind: 'incomplete' };
  let fed = 0;
  receiver.on('message', (data, isBinary) => observations.push({ kind: 'message', binary: isBinary, data: Uint8Array.from(data), at: fed }));
  receiver.on('ping', (data) => observations.push({ kind: 'ping', data: Uint8Array.from(data), at: fed }));
  receiver.on('pong', (data) => observations.push({ kind: 'pong', data: Uint8Array.from(data), at: fed }));
  receiver.on('conclude', (code, reason) => {
    observations.push({ kind: 'close', code, reason: reason.toString('utf8'), at: fed });
    if (ending.kind === 'incomplete') ending = { kind: 'close', at: fed };
  });
  for (const byte of stream) {
    if (ending.kind !== 'incomplete') break;
    fed++;
    receiver._write(Buffer.of(byte), 'buffer', (error) => {
      if (error && ending.kind === 'incomplete') {
        ending = { kind: 'error', closeCode: statusCodeOf(error), code: (error as Error & { code?: string }).code ?? '', message: error.message, at: fed };
      }
    });
  }
  return { observations, ending };
}
