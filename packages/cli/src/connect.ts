/** `sansock connect <url>`: a client that prints what arrives and sends what is typed. */
import WebSocket, { type ClientOptions } from '@sansock/node';
import type { ConnectArgs } from './args.js';
import { CommandError, parseHumanLine, parseJsonLine } from './commands.js';
import { toBuffer, toPayload } from './encoding.js';
import { EXIT, type ExitCode, isCleanClose } from './exit-codes.js';
import { type LineReader, readLines } from './lines.js';
import type { Printer, PromptHooks } from './printer.js';
import { runCommand } from './run-command.js';

/** Seconds to wait for replies after --execute when --wait is not given. */
const EXECUTE_DEFAULT_WAIT = 2;

export function connect(args: ConnectArgs, printer: Printer & { hooks: PromptHooks | undefined }, finish: (code: ExitCode) => void): void {
  const options: ClientOptions = {
    headers: args.headers,
    perMessageDeflate: args.deflate,
    rejectUnauthorized: !args.insecure,
  };
  if (args.ca !== undefined) options.ca = args.ca;
  if (args.proxy !== undefined) options.proxy = args.proxy;
  // Throws SyntaxError for a bad URL or subprotocol, TypeError for a bad option: main's usage errors.
  const ws = new WebSocket(args.url, args.subprotocols, options);

  let opened = false;
  let failed = false;
  let reader: LineReader | undefined;
  let timer: NodeJS.Timeout | undefined;

  const closeAfter = (seconds: number): void => {
    timer = setTimeout(() => ws.close(1000), seconds * 1000);
  };

  const onLine = (line: string): void => {
    try {
      const command = args.json ? parseJsonLine(line, args.binaryAs) : parseHumanLine(line, args.binaryAs);
      runCommand(ws, command);
    } catch (error) {
      // A mistyped command is reported and the session goes on; it does not change the exit code.
      printer.print({ type: 'error', message: (error as Error).message, code: error instanceof CommandError ? 'BAD_COMMAND' : 'COMMAND_FAILED' });
    }
  };

  ws.on('open', () => {
    opened = true;
    printer.print({ type: 'open', url: ws.url, protocol: ws.protocol, extensions: ws.extensions });
    if (args.execute.length > 0) {
      for (const message of args.execute) ws.send(message);
      closeAfter(args.wait ?? EXECUTE_DEFAULT_WAIT);
      return;
    }
    if (args.wait !== undefined) closeAfter(args.wait);
    reader = readLines(onLine, () => {
      // End of input: close now, unless --wait decides when.
      if (args.wait === undefined && ws.readyState === WebSocket.OPEN) ws.close(1000);
    });
    printer.hooks = reader.hooks;
  });
  ws.on('message', (data, isBinary) => printer.print({ type: 'message', ...toPayload(toBuffer(data), isBinary, args.binaryAs) }));
  ws.on('ping', (data) => printer.print({ type: 'ping', ...toPayload(data, false, args.binaryAs) }));
  ws.on('pong', (data) => printer.print({ type: 'pong', ...toPayload(data, false, args.binaryAs) }));
  ws.on('error', (error: Error & { code?: string }) => {
    failed = true;
    printer.print({ type: 'error', message: error.message, ...(typeof error.code === 'string' ? { code: error.code } : {}) });
  });
  ws.on('close', (code, reason) => {
    clearTimeout(timer);
    printer.hooks = undefined;
    reader?.close();
    if (opened) printer.print({ type: 'close', code, reason: reason.toString('utf8') });
    if (!opened) finish(EXIT.CONNECTION_FAILED);
    else finish(failed || !isCleanClose(code) ? EXIT.ABNORMAL_CLOSE : EXIT.OK);
  });

  // Ctrl+C: a proper close the first time, then give up waiting.
  let interrupted = false;
  process.on('SIGINT', () => {
    if (interrupted || ws.readyState !== WebSocket.OPEN) ws.terminate();
    else ws.close(1000);
    interrupted = true;
  });
}
