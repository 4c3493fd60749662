/** The command line, parsed with node:util parseArgs into one typed value per subcommand. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BinaryEncoding } from './encoding.js';

/** A command line we cannot run: printed with the usage, exit code 2. */
export class UsageError extends Error {}

interface Common {
  json: boolean;
  binaryAs: BinaryEncoding;
}

export interface ConnectArgs extends Common {
  command: 'connect';
  url: string;
  headers: Record<string, string>;
  subprotocols: string[];
  deflate: boolean;
  ca: string | undefined;
  insecure: boolean;
  proxy: string | undefined;
  execute: string[];
  /** Seconds; undefined: stay until the peer closes or input ends. */
  wait: number | undefined;
}

export interface ListenArgs extends Common {
  command: 'listen';
  port: number;
  host: string | undefined;
  broadcast: boolean;
  deflate: boolean;
  subprotocols: string[];
}

export type Args = ConnectArgs | ListenArgs | { command: 'help' };

const common = {
  json: { type: 'boolean' },
  'binary-as': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  subprotocol: { type: 'string', short: 's', multiple: true },
} as const;

const connectOptions = {
  ...common,
  header: { type: 'string', short: 'H', multiple: true },
  // parseArgs has no "--no-" negation before Node 22: the negative is its own flag.
  'no-deflate': { type: 'boolean' },
  ca: { type: 'string' },
  insecure: { type: 'boolean', short: 'k' },
  proxy: { type: 'string' },
  execute: { type: 'string', short: 'x', multiple: true },
  wait: { type: 'string', short: 'w' },
} as const;

const listenOptions = {
  ...common,
  host: { type: 'string' },
  broadcast: { type: 'boolean', short: 'b' },
  deflate: { type: 'boolean' },
} as const;

function binaryAs(value: string | undefined): BinaryEncoding {
  if (value === undefined || value === 'hex' || value === 'base64') return value ?? 'hex';
  throw new UsageError(`--binary-as must be hex or base64, not ${value}`);
}

function parseHeaders(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~\dA-Za-z-]+$/.test(name)) throw new UsageError(`--header must look like "Name: value", not ${JSON.stringify(line)}`);
    const value = line.slice(colon + 1).trim();
    // Repeated names are joined as HTTP allows for list headers.
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) throw new UsageError(`--wait must be a number of seconds, not ${value}`);
  return number;
}

function parse<T extends typeof connectOptions | typeof listenOptions>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parseCommandLine(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') return { command: 'help' };
  if (command === 'connect') {
    const { values, positionals } = parse(rest, connectOptions);
    if (values.help) return { command: 'help' };
    if (positionals.length !== 1) throw new UsageError('connect takes one URL');
    let ca: string | undefined;
    if (values.ca !== undefined) {
      try {
        ca = readFileSync(values.ca, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read --ca ${values.ca}: ${(error as Error).message}`);
      }
    }
    return {
      command,
      url: positionals[0] ?? '',
      json: values.json ?? false,
      binaryAs: binaryAs(values['binary-as']),
      headers: parseHeaders(values.header ?? []),
      subprotocols: values.subprotocol ?? [],
      deflate: !values['no-deflate'],
      ca,
      insecure: values.insecure ?? false,
      proxy: values.proxy,
      execute: values.execute ?? [],
      wait: seconds(values.wait),
    };
  }
  if (command === 'listen') {
    const { values, positionals } = parse(rest, listenOptions);
    if (values.help) return { command: 'help' };
    const port = Number(positionals[0]);
    if (positionals.length !== 1 || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('listen takes one port number (0 for any free port)');
    return {
      command,
      port,
      host: values.host,
      json: values.json ?? false,
      binaryAs: binaryAs(values['binary-as']),
      broadcast: values.broadcast ?? false,
      deflate: values.deflate ?? false,
      subprotocols: values.subprotocol ?? [],
    };
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)} (connect or listen)`);
}
