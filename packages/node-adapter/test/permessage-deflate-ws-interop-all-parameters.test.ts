/**
 * permessage-deflate interop with the `ws` package through the real adapter, for all 16
 * combinations of the four RFC 7692 parameters (server/client_no_context_takeover,
 * server_max_window_bits=10, client_max_window_bits=11), both ways (our WebSocket ↔ ws
 * WebSocketServer, ws WebSocket ↔ our WebSocketServer), with the parameters set on the
 * server (it imposes them) and, separately, on the client (it requests them in its offer).
 *
 * Each connection: the negotiated Sec-WebSocket-Extensions is checked on both sides; text,
 * binary, fragmented (fin: false pieces) and empty messages plus 50 JSON-ish messages (context
 * takeover at work unless disabled) are sent with `threshold: 0` and echoed; what the server
 * received and what came back are compared byte for byte; the bytes on the wire prove that
 * both directions were compressed; then a clean close with code and reason.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import SansockWebSocket, { WebSocketServer as SansockServer } from '@sansock/node';
import { collect, next } from './helpers.js';

interface Parameters {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits?: number;
  clientMaxWindowBits?: number;
}

const combinations: Parameters[] = [];
for (const serverNoContextTakeover of [false, true])
  for (const clientNoContextTakeover of [false, true])
    for (const serverMaxWindowBits of [undefined, 10])
      for (const clientMaxWindowBits of [undefined, 11]) {
        const parameters: Parameters = { serverNoContextTakeover, clientNoContextTakeover };
        if (serverMaxWindowBits !== undefined) parameters.serverMaxWindowBits = serverMaxWindowBits;
        if (clientMaxWindowBits !== undefined) parameters.clientMaxWindowBits = clientMaxWindowBits;
        combinations.push(parameters);
      }

const describeCombination = (p: Parameters): string =>
  [
    p.serverNoContextTakeover ? 'server_no_context_takeover' : 'server takeover',
    p.clientNoContextTakeover ? 'client_no_context_takeover' : 'client takeover',
    `server window ${p.serverMaxWindowBits ?? 'default'}`,
    `client window ${p.clientMaxWindowBits ?? 'default'}`,
  ].join(', ');

/**
 * The response parameters, sorted. Whether the server imposes a parameter or the client
 * requests it, ws and the core both answer with exactly these (a bare client_max_window_bits
 * offer without a server limit is dropped from the response).
 */
function expectedParams(p: Parameters): string[] {
  const params: string[] = [];
  if (p.serverNoContextTakeover) params.push('server_no_context_takeover');
  if (p.clientNoContextTakeover) params.push('client_no_context_takeover');
  if (p.serverMaxWindowBits !== undefined) params.push(`server_max_window_bits=${p.serverMaxWindowBits}`);
  if (p.clientMaxWindowBits !== undefined) params.push(`client_max_window_bits=${p.clientMaxWindowBits}`);
  return params.sort();
}

/** `permessage-deflate; a; b=1` → ['a', 'b=1'] (sorted), after checking the name. */
function paramsOf(header: string | undefined): string[] {
  expect(header).toBeDefined();
  const [name, ...params] = (header ?? '').split(';').map((part) => part.trim());
  expect(name).toBe('permessage-deflate');
  return params.sort();
}

/** The API both implementations share, as this test uses it. */
interface Peer extends NodeJS.EventEmitter {
  send(data: string | Buffer, options?: { binary?: boolean; fin?: boolean }): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  readonly extensions: string;
}
interface PeerServer extends NodeJS.EventEmitter {
  address(): AddressInfo | string | null;
  close(callback?: () => void): void;
  clients: Set<Peer>;
}
type ClientCtor = new (url: string, options: Record<string, unknown>) => Peer;
type ServerCtor = new (options: Record<string, unknown>) => PeerServer;

/** One message of the workload: several pieces are sent as one fragmented message. */
interface Outgoing {
  readonly pieces: Buffer[];
  readonly binary: boolean;
}

const text = (value: string): Buffer => Buffer.from(value, 'utf8');
const workload: Outgoing[] = [
  { pieces: [text('Hello, permessage-deflate! héllo ✓ '.repeat(300))], binary: false },
  { pieces: [Buffer.from(Uint8Array.from({ length: 6000 }, (_, i) => (i * 7) & 0xff))], binary: true },
  { pieces: [text('fragment one, '), text('fragment two, '.repeat(60)), text('and the end ✓')], binary: false },
  { pieces: [Buffer.alloc(300, 0xaa), Buffer.alloc(0), Buffer.alloc(500, 0x55)], binary: true },
  { pieces: [Buffer.alloc(0)], binary: false },
  { pieces: [Buffer.alloc(0)], binary: true },
];
for (let i = 0; i < 50; i++) {
  workload.push({ pieces: [text(`{"seq":${i},"user":"user-${i % 7}","body":"the same words over and over again","ok":${i % 2 === 0}}`)], binary: false });
}
const expectedMessages = workload.map(({ pieces, binary }) => [Buffer.concat(pieces).toString('hex'), binary]);
const rawPayloadBytes = workload.reduce((sum, { pieces }) => sum + Buffer.concat(pieces).length, 0);

function sendWorkload(client: Peer): void {
  for (const { pieces, binary } of workload) {
    const last = pieces.length - 1;
    pieces.forEach((piece, index) => {
      const data = binary ? piece : piece.toString('utf8');
      client.send(data, { binary, fin: index === last });
    });
  }
}

/** A listening server whose connections echo every message and record what they saw. */
async function startServer(Server: ServerCtor, perMessageDeflate: Record<string, unknown>) {
  const server = new Server({ host: '127.0.0.1', port: 0, perMessageDeflate });
  await next(server, 'listening');
  const responses: string[][] = [];
  server.on('headers', (lines: string[]) => responses.push([...lines]));
  server.on('connection', (peer: Peer) => {
    peer.on('message', (data: Buffer, isBinary: boolean) => peer.send(data, { binary: isBinary }));
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    /** The extensions header of the most recent 101 response the server built. */
    lastExtensionsHeader(): string | undefined {
      const line = responses.at(-1)?.find((entry) => /^sec-websocket-extensions:/i.test(entry));
      return line?.slice(line.indexOf(':') + 1).trim();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const peer of server.clients) peer.terminate();
        server.close(() => resolve());
      }),
  };
}

type Server = Awaited<ReturnType<typeof startServer>>;

/** One connection through the whole workload, asserting everything both sides observed. */
async function exchange(Client: ClientCtor, server: Server, clientDeflate: Record<string, unknown>, expected: string[], closeCode: number) {
  const connected = next<[Peer, IncomingMessage]>(server.server, 'connection');
  const client = new Client(`ws://127.0.0.1:${server.port}/`, { perMessageDeflate: clientDeflate });
  const upgraded = next<[IncomingMessage]>(client, 'upgrade');
  await next(client, 'open');
  const [response] = await upgraded;
  const [peer, request] = await connected;

  expect(paramsOf(response.headers['sec-websocket-extensions'] as string | undefined)).toEqual(expected);
  expect(paramsOf(server.lastExtensionsHeader())).toEqual(expected);
  expect(client.extensions).toBe('permessage-deflate');
  expect(peer.extensions).toBe('permessage-deflate');

  const atServer = collect<[Buffer, boolean]>(peer, 'message', workload.length);
  const atClient = collect<[Buffer, boolean]>(client, 'message', workload.length);
  sendWorkload(client);
  const asHex = (messages: Array<[Buffer, boolean]>) => messages.map(([data, binary]) => [Buffer.from(data).toString('hex'), binary]);
  expect(asHex(await atServer)).toEqual(expectedMessages);
  expect(asHex(await atClient)).toEqual(expectedMessages);

  const reason = `done ${closeCode} ✓`;
  const serverClosed = next<[number, Buffer]>(peer, 'close');
  const clientClosed = next<[number, Buffer]>(client, 'close');
  client.close(closeCode, reason);
  const [[serverCode, serverReason], [clientCode, clientReason]] = await Promise.all([serverClosed, clientClosed]);
  expect([serverCode, serverReason.toString()]).toEqual([closeCode, reason]);
  expect([clientCode, clientReason.toString()]).toEqual([closeCode, reason]);

  // Both directions were compressed: each side wrote far fewer bytes than the payloads
  // (HTTP head and frame headers included).
  const clientSocket = response.socket as Socket;
  const serverSocket = request.socket as Socket;
  expect(clientSocket.bytesWritten).toBeLessThan(rawPayloadBytes / 2);
  expect(serverSocket.bytesWritten).toBeLessThan(rawPayloadBytes / 2);
}

const ours = SansockWebSocket as unknown as ClientCtor;
const theirs = wsPackage.WebSocket as unknown as ClientCtor;
const OurServer = SansockServer as unknown as ServerCtor;
const TheirServer = wsPackage.WebSocketServer as unknown as ServerCtor;

const directions = [
  { name: 'our WebSocket ↔ ws WebSocketServer', Client: ours, Server: TheirServer },
  { name: 'ws WebSocket ↔ our WebSocketServer', Client: theirs, Server: OurServer },
];

describe.each(directions)('$name', ({ Client, Server }) => {
  describe('parameters imposed by the server', () => {
    combinations.forEach((parameters, index) => {
      it(describeCombination(parameters), async () => {
        // One server per combination; the client offers the defaults.
        const server = await startServer(Server, { threshold: 0, ...parameters });
        try {
          await exchange(Client, server, { threshold: 0 }, expectedParams(parameters), 4000 + index);
        } finally {
          await server.close();
        }
      });
    });
  });

  describe('parameters requested in the client offer', () => {
    let shared: Server | undefined;
    afterAll(async () => {
      await shared?.close();
    });

    combinations.forEach((parameters, index) => {
      it(describeCombination(parameters), async () => {
        // One server with the defaults for all combinations.
        shared ??= await startServer(Server, { threshold: 0 });
        await exchange(Client, shared, { threshold: 0, ...parameters }, expectedParams(parameters), 4100 + index);
      });
    });
  });
});
