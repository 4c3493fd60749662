/** Applies a parsed command to one WebSocket (the client's, or each of a server's). */
import type WebSocket from '@sansock/node';
import type { Command } from './commands.js';

export function runCommand(ws: WebSocket, command: Command): void {
  switch (command.kind) {
    case 'send':
      ws.send(command.data, { binary: typeof command.data !== 'string' });
      return;
    case 'ping':
      ws.ping(command.data);
      return;
    case 'pong':
      ws.pong(command.data);
      return;
    case 'close':
      ws.close(command.code, command.reason);
      return;
  }
}
