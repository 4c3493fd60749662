/**
 * Turns a line typed (or piped) into a command. Human mode: plain lines are text messages,
 * "/ping [data]", "/pong [data]", "/close [code [reason]]", "/binary <hex|base64>" are commands,
 * and "//..." sends a line starting with "/". JSON mode: a line that is a JSON object is a
 * command ({"send": "..."}, {"close": [1000, "bye"]}...), any other line is sent as text.
 */
import { type BinaryEncoding, decodeBinary } from './encoding.js';

export type Command =
  | { kind: 'send'; data: string | Buffer; client?: number }
  | { kind: 'ping' | 'pong'; data: string; client?: number }
  | { kind: 'close'; code?: number; reason?: string; client?: number };

/** A line that is not a valid command: the message says why. */
export class CommandError extends Error {}

export const SLASH_HELP = '/ping [data], /pong [data], /close [code [reason]], /binary <data>, //text sends "/text"';

export function parseHumanLine(line: string, encoding: BinaryEncoding): Command {
  if (!line.startsWith('/')) return { kind: 'send', data: line };
  if (line.startsWith('//')) return { kind: 'send', data: line.slice(1) };
  const space = line.indexOf(' ');
  const name = space === -1 ? line.slice(1) : line.slice(1, space);
  const rest = space === -1 ? '' : line.slice(space + 1);
  switch (name) {
    case 'ping':
    case 'pong':
      return { kind: name, data: rest };
    case 'close': {
      const match = /^\s*(\d+)?(?:\s+(.*))?$/.exec(rest);
      if (match === null) throw new CommandError(`usage: /close [code [reason]]`);
      const close: Command = { kind: 'close' };
      if (match[1] !== undefined) close.code = Number(match[1]);
      if (match[2] !== undefined) close.reason = match[2];
      return close;
    }
    case 'binary':
      try {
        return { kind: 'send', data: decodeBinary(rest, encoding) };
      } catch (error) {
        throw new CommandError((error as Error).message);
      }
    default:
      throw new CommandError(`unknown command /${name} (${SLASH_HELP})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalClient(command: Record<string, unknown>): { client?: number } {
  const client = command.client;
  if (client === undefined) return {};
  if (typeof client !== 'number' || !Number.isInteger(client)) throw new CommandError('"client" must be a client number');
  return { client };
}

export function parseJsonLine(line: string, encoding: BinaryEncoding): Command {
  let parsed: unknown;
  if (line.trimStart().startsWith('{')) {
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
  }
  if (!isRecord(parsed)) return { kind: 'send', data: line };
  const target = optionalClient(parsed);
  if ('send' in parsed) {
    if (typeof parsed.send !== 'string') throw new CommandError('"send" must be a string');
    if (parsed.binary === true) {
      try {
        return { kind: 'send', data: decodeBinary(parsed.send, encoding), ...target };
      } catch (error) {
        throw new CommandError((error as Error).message);
      }
    }
    return { kind: 'send', data: parsed.send, ...target };
  }
  for (const kind of ['ping', 'pong'] as const) {
    if (kind in parsed) {
      const data = parsed[kind];
      if (data !== null && data !== true && typeof data !== 'string') throw new CommandError(`"${kind}" must be a string, true or null`);
      return { kind, data: typeof data === 'string' ? data : '', ...target };
    }
  }
  if ('close' in parsed) {
    const value = parsed.close;
    const [code, reason] = Array.isArray(value) ? value : typeof value === 'number' ? [value] : [];
    if (value !== true && value !== null && !Array.isArray(value) && typeof value !== 'number') {
      throw new CommandError('"close" must be [code, reason], a code, true or null');
    }
    if (code !== undefined && typeof code !== 'number') throw new CommandError('the close code must be a number');
    if (reason !== undefined && typeof reason !== 'string') throw new CommandError('the close reason must be a string');
    const close: Command = { kind: 'close', ...target };
    if (code !== undefined) close.code = code;
    if (reason !== undefined) close.reason = reason;
    return close;
  }
  throw new CommandError(`unknown command ${line} (expected one of "send", "ping", "pong", "close")`);
}
