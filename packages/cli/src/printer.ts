/**
 * Writes events: one JSON object per line with --json, else short human lines ("< " for what
 * arrived, "* " for what happened, "! " on stderr for errors).
 */
import type { Writable } from 'node:stream';
import type { CliEvent, Payload } from './events.js';

export interface Printer {
  print(event: CliEvent): void;
}

/** Hooks so an interactive prompt can step aside while a line is printed. */
export interface PromptHooks {
  before(): void;
  after(): void;
}

function payloadText(payload: Payload): string {
  return payload.binary ? `[binary, ${payload.encoding ?? ''}] ${payload.data}` : payload.data;
}

function who(client: number | undefined): string {
  return client === undefined ? '' : `[${client}] `;
}

export function humanLine(event: CliEvent): string {
  switch (event.type) {
    case 'open':
      return `* connected to ${event.url}${event.protocol ? ` (subprotocol ${event.protocol})` : ''}${event.extensions ? ` (extensions ${event.extensions})` : ''}`;
    case 'listening':
      return `* listening on ${event.url}`;
    case 'connection':
      return `* [${event.client}] connected from ${event.remote}${event.protocol ? ` (subprotocol ${event.protocol})` : ''}`;
    case 'message':
      return `< ${who(event.client)}${payloadText(event)}`;
    case 'ping':
    case 'pong':
      return `* ${who(event.client)}${event.type}${event.data ? ` ${payloadText(event)}` : ''}`;
    case 'close':
      return `* ${who(event.client)}closed ${event.code}${event.reason ? ` ${event.reason}` : ''}`;
    case 'error':
      return `! ${who(event.client)}${event.message}`;
  }
}

export function createPrinter(json: boolean, out: Writable, err: Writable): Printer & { hooks: PromptHooks | undefined } {
  const printer = {
    hooks: undefined as PromptHooks | undefined,
    print(event: CliEvent): void {
      if (json) {
        out.write(`${JSON.stringify(event)}\n`);
        return;
      }
      printer.hooks?.before();
      (event.type === 'error' ? err : out).write(`${humanLine(event)}\n`);
      printer.hooks?.after();
    },
  };
  return printer;
}
