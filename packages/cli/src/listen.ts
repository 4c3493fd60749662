/** `sansock listen <port>`: a server that echoes, or broadcasts what is typed, and prints what happens. */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from '@sansock/node';
import type { ListenArgs } from './args.js';
import { CommandError, parseHumanLine, parseJsonLine } from './commands.js';
import { toBuffer, toPayload } from './encoding.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type LineReader, readLines } from './lines.js';
import type { Printer, PromptHooks } from './printer.js';
import { runCommand } from './run-command.js';

function remoteOf(request: IncomingMessage): string {
  const { remoteAddress = '?', remotePort = 0 } = request.socket;
  return remoteAddress.includes(':') ? `[${remoteAddress}]:${remotePort}` : `${remoteAddress}:${remotePort}`;
}

export function listen(args: ListenArgs, printer: Printer & { hooks: PromptHooks | undefined }, finish: (code: ExitCode) => void): void {
  const clients = new Map<number, WebSocket>();
  let nextId = 1;
  let reader: LineReader | undefined;
  let listening = false;

  const wss = new WebSocketServer({
    port: args.port,
    host: args.host,
    perMessageDeflate: args.deflate,
    // The first subprotocol the client offers that we were told to accept; none otherwise.
    handleProtocols: (offered) => [...offered].find((protocol) => args.subprotocols.includes(protocol)) ?? false,
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    reader?.close();
    printer.hooks = undefined;
    for (const ws of clients.values()) ws.close(1001, 'server stopping');
    wss.close(() => finish(EXIT.OK));
    // Clients that do not answer the close are cut off rather than holding the exit.
    setTimeout(() => {
      for (const ws of clients.values()) ws.terminate();
    }, 2000).unref();
  };

  const onLine = (line: string): void => {
    try {
      const command = args.json ? parseJsonLine(line, args.binaryAs) : parseHumanLine(line, args.binaryAs);
      const targets = command.client === undefined ? [...clients.values()] : [clients.get(command.client)];
      if (targets[0] === undefined && command.client !== undefined) throw new CommandError(`no client ${command.client}`);
      for (const ws of targets) if (ws !== undefined && ws.readyState === WebSocket.OPEN) runCommand(ws, command);
    } catch (error) {
      printer.print({ type: 'error', message: (error as Error).message, code: error instanceof CommandError ? 'BAD_COMMAND' : 'COMMAND_FAILED' });
    }
  };

  wss.on('listening', () => {
    listening = true;
    const { port } = wss.address() as AddressInfo;
    const host = args.host === undefined ? 'localhost' : args.host.includes(':') ? `[${args.host}]` : args.host;
    printer.print({ type: 'listening', url: `ws://${host}:${port}/`, port });
    if (args.broadcast) {
      // End of input stops a broadcasting server (it has nothing more to say).
      reader = readLines(onLine, stop);
      printer.hooks = reader.hooks;
    }
  });

  wss.on('error', (error: Error & { code?: string }) => {
    printer.print({ type: 'error', message: error.message, ...(typeof error.code === 'string' ? { code: error.code } : {}) });
    if (!listening) finish(EXIT.CONNECTION_FAILED);
  });

  wss.on('connection', (ws, request) => {
    const client = nextId++;
    clients.set(client, ws);
    printer.print({ type: 'connection', client, remote: remoteOf(request), protocol: ws.protocol, extensions: ws.extensions });
    ws.on('message', (data, isBinary) => {
      const buffer = toBuffer(data);
      printer.print({ type: 'message', client, ...toPayload(buffer, isBinary, args.binaryAs) });
      if (!args.broadcast) ws.send(buffer, { binary: isBinary });
    });
    ws.on('ping', (data) => printer.print({ type: 'ping', client, ...toPayload(data, false, args.binaryAs) }));
    ws.on('pong', (data) => printer.print({ type: 'pong', client, ...toPayload(data, false, args.binaryAs) }));
    ws.on('error', (error: Error & { code?: string }) => {
      printer.print({ type: 'error', client, message: error.message, ...(typeof error.code === 'string' ? { code: error.code } : {}) });
    });
    ws.on('close', (code, reason) => {
      clients.delete(client);
      printer.print({ type: 'close', client, code, reason: reason.toString('utf8') });
    });
  });

  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
