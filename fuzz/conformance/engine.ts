/**
 * Runs one conformance case against a server and gives an Autobahn-style verdict:
 * OK (what RFC 6455 requires), NON-STRICT (acceptable but not the best behaviour, e.g. failing
 * only at the end of a message, or closing TCP without a close frame), FAILED.
 */
import { bytesEqual, isStrictUtf8 } from '../src/bytes.js';
import { OP } from '../src/wire.js';
import type { DeflateAgreement } from './deflate-session.js';
import { RawClient, type ServerFrame } from './raw-client.js';

export type Verdict = 'OK' | 'NON-STRICT' | 'FAILED';

/** What the server sends back, reassembled: a data message or a control frame. */
export type Reply =
  | { readonly kind: 'text' | 'binary'; readonly data: Uint8Array }
  | { readonly kind: 'ping' | 'pong'; readonly data: Uint8Array };

export type Expectation =
  /** The replies, in order; then we close with 1000 and expect the close handshake to complete. */
  | { readonly kind: 'echo'; readonly replies: readonly Reply[] }
  /** The server must fail the connection with `code` (after the `replies`, if any). */
  | { readonly kind: 'fail'; readonly code: number; readonly replies?: readonly Reply[] }
  /** We sent a close frame: the server answers with one of `codes` ('empty' = no payload) and closes TCP. */
  | { readonly kind: 'close-reply'; readonly codes: ReadonlyArray<number | 'empty'>; readonly replies?: readonly Reply[] }
  /** The handshake response was unacceptable: the client must fail the connection (close TCP) without using it. */
  | { readonly kind: 'refused' };

export interface CaseContext {
  readonly client: RawClient;
}

export interface ConformanceCase {
  readonly id: string;
  readonly category: number;
  readonly title: string;
  /** The rule the expected outcome comes from. */
  readonly rfc: string;
  /** Sends the case's frames. */
  readonly run: (ctx: CaseContext) => Promise<void>;
  /**
   * Fail-fast cases (§8.1): `run` sent an invalid prefix; if the server has not failed the
   * connection within a moment, `rest` sends the remainder and a late failure is NON-STRICT.
   */
  readonly rest?: (ctx: CaseContext) => Promise<void>;
  /** Bytes to send in the same TCP write as the upgrade request. */
  readonly early?: Uint8Array;
  /**
   * Categories 12/13: the Sec-WebSocket-Extensions offer. The case runs against the target's
   * permessage-deflate echo server and needs the server to accept; `agreement` then judges the
   * negotiated parameters (a message says what is wrong).
   */
  readonly deflate?: { readonly offer: string; readonly agreement?: (a: DeflateAgreement) => string | undefined };
  /** Client cases: the Sec-WebSocket-Extensions the raw server answers with (the client must have offered permessage-deflate). */
  readonly deflateResponse?: string;
  readonly expect: Expectation;
  readonly timeoutMs?: number;
}

export interface CaseResult {
  readonly id: string;
  readonly category: number;
  readonly title: string;
  readonly rfc: string;
  readonly verdict: Verdict;
  readonly detail: string;
  readonly ms: number;
}

type Seen = Reply | { readonly kind: 'close'; readonly code: number | 'empty'; readonly reasonValid: boolean } | { readonly kind: 'bad'; readonly why: string };

/** Which side the implementation under test plays; the harness plays the other. */
export type RoleUnderTest = 'server' | 'client';

/** Reassembles the peer's frames, flagging anything it may not send (masking §5.1/§5.3, RSV, bad fragmentation). */
function reassemble(frames: readonly ServerFrame[], role: RoleUnderTest): Seen[] {
  const out: Seen[] = [];
  let open: { kind: 'text' | 'binary'; parts: Uint8Array[] } | undefined;
  for (const f of frames) {
    if (role === 'server' && f.masked) out.push({ kind: 'bad', why: 'server frame is masked (§5.1)' });
    if (role === 'client' && !f.masked) out.push({ kind: 'bad', why: 'client frame is not masked (§5.3)' });
    if (f.rsv !== 0) out.push({ kind: 'bad', why: 'frame has RSV bits set' });
    if (f.opcode === OP.PING || f.opcode === OP.PONG) out.push({ kind: f.opcode === OP.PING ? 'ping' : 'pong', data: f.payload });
    else if (f.opcode === OP.CLOSE) {
      const p = f.payload;
      if (p.length === 1) out.push({ kind: 'bad', why: 'close frame with a 1-byte payload' });
      else out.push({ kind: 'close', code: p.length === 0 ? 'empty' : (p[0]! << 8) | p[1]!, reasonValid: isStrictUtf8(p.subarray(2)) });
    } else if (f.opcode === OP.TEXT || f.opcode === OP.BINARY || f.opcode === OP.CONT) {
      if (f.opcode === OP.CONT && open === undefined) out.push({ kind: 'bad', why: 'continuation without a message' });
      else if (f.opcode !== OP.CONT && open !== undefined) out.push({ kind: 'bad', why: 'new message inside a fragmented one' });
      if (f.opcode !== OP.CONT) open = { kind: f.opcode === OP.TEXT ? 'text' : 'binary', parts: [] };
      open?.parts.push(f.payload);
      if (f.fin && open) {
        const data = Buffer.concat(open.parts);
        out.push({ kind: open.kind, data: new Uint8Array(data.buffer, data.byteOffset, data.length) });
        open = undefined;
      }
    } else out.push({ kind: 'bad', why: `server sent opcode ${f.opcode}` });
  }
  return out;
}

const describeReply = (r: Seen): string =>
  r.kind === 'close'
    ? `close(${r.code})`
    : r.kind === 'bad'
      ? `BAD(${r.why})`
      : `${r.kind}(${r.data.length}B${r.data.length <= 16 ? ` ${Buffer.from(r.data).toString('hex')}` : ''})`;

function sameReplies(seen: readonly Seen[], expected: readonly Reply[]): boolean {
  if (seen.length !== expected.length) return false;
  return expected.every((e, i) => {
    const s = seen[i]!;
    return s.kind === e.kind && 'data' in s && bytesEqual(s.data, e.data);
  });
}

const isData = (s: Seen): s is Reply => s.kind === 'text' || s.kind === 'binary' || s.kind === 'ping' || s.kind === 'pong';

/** The target's echo servers: plain, and with permessage-deflate (absent if the target has none). */
export interface TargetPorts {
  readonly plain: number;
  readonly deflate: number | undefined;
}

export async function runCase(testCase: ConformanceCase, ports: TargetPorts): Promise<CaseResult> {
  const started = Date.now();
  const finish = (verdict: Verdict, detail: string): CaseResult => ({
    id: testCase.id,
    category: testCase.category,
    title: testCase.title,
    rfc: testCase.rfc,
    verdict,
    detail,
    ms: Date.now() - started,
  });
  const port = testCase.deflate ? ports.deflate : ports.plain;
  if (port === undefined) return finish('FAILED', 'the target has no permessage-deflate server');
  let client: RawClient;
  try {
    client = await RawClient.connect(port, testCase.early, testCase.deflate?.offer);
  } catch (error) {
    return finish('FAILED', `handshake: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (testCase.deflate) {
    const agreement = client.deflate?.agreement;
    const problem = agreement === undefined ? 'the server did not accept permessage-deflate' : testCase.deflate.agreement?.(agreement);
    if (problem !== undefined) {
      client.destroy();
      return finish('FAILED', `negotiation: ${problem} (response: ${client.extensionsResponse ?? 'none'})`);
    }
  }
  try {
    return finish(...(await judge(testCase, client, 'server')));
  } catch (error) {
    return finish('FAILED', `harness: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    client.destroy();
  }
}

/**
 * Runs a case over an established connection and judges it. `client` is the harness's end (a
 * raw client when a server is under test, a raw server when a client is).
 */
export async function judge(testCase: ConformanceCase, client: RawClient, role: RoleUnderTest): Promise<[Verdict, string]> {
  const ctx = { client };
  const timeout = testCase.timeoutMs ?? 3000;
  const seen = () => reassemble(client.frames, role);
  /**
   * §7.1.1: the server closes TCP first; the client SHOULD wait for it but MAY close once both
   * close frames are exchanged, so this is only noted in the detail.
   */
  const closeOrderNote = async (): Promise<string> =>
    role === 'client' && (client.tcpClosed || (await client.until(() => client.tcpClosed, 100))) ? ' (the client closed TCP first, as §7.1.1 allows)' : '';
  const serverSideEnds = (): void => {
    if (role === 'client') client.end();
  };
  const closeSeen = () => seen().find((s) => s.kind === 'close');
  const ended = () => closeSeen() !== undefined || client.tcpClosed;
  const bad = () => seen().filter((s) => s.kind === 'bad');
  const log = () => seen().map(describeReply).join(' ') + (client.tcpClosed ? ' [tcp closed]' : '');

  await testCase.run(ctx);
  let lateFailure = false;
  if (testCase.rest) {
    if (!(await client.until(ended, 1000))) {
      lateFailure = true;
      await testCase.rest(ctx);
    }
  }
  const expect = testCase.expect;

  if (expect.kind === 'refused') {
    // RFC 6455 §9.1 / §4.1: a client MUST fail the connection on an extension it did not offer
    // or cannot accept; it must not exchange messages on it.
    await client.until(() => client.tcpClosed, timeout);
    const data = seen().filter((s) => s.kind === 'text' || s.kind === 'binary');
    if (!client.tcpClosed) return ['FAILED', `the client kept the connection open: ${log()}`];
    if (data.length > 0) return ['FAILED', `the client used the connection: ${log()}`];
    return ['OK', log() || 'closed without using the connection'];
  }

  if (expect.kind === 'echo') {
    const want = expect.replies.length;
    await client.until(() => seen().filter(isData).length >= want || ended(), timeout);
    const data = seen().filter((s) => s.kind !== 'close');
    if (bad().length > 0) return ['FAILED', `server broke the protocol: ${log()}`];
    if (!sameReplies(data, expect.replies)) return ['FAILED', `expected ${expect.replies.map(describeReply).join(' ')}, got ${log()}`];
    // Close the connection normally (§7.1.2): the server echoes 1000 and closes TCP (§7.1.1).
    await client.send({ fin: true, rsv: 0, opcode: OP.CLOSE, payload: Uint8Array.of(0x03, 0xe8) });
    await client.until(() => (role === 'server' ? client.tcpClosed : ended()), 2000);
    const close = closeSeen();
    if (close?.kind !== 'close') return client.tcpClosed ? ['NON-STRICT', `TCP closed without a close reply: ${log()}`] : ['FAILED', `no close reply: ${log()}`];
    if (close.code !== 1000) return ['FAILED', `close reply ${close.code}, expected 1000`];
    if (role === 'server' && !client.tcpClosed) return ['FAILED', 'server did not close TCP after the closing handshake (§7.1.1)'];
    const note = await closeOrderNote();
    serverSideEnds();
    return ['OK', log() + note];
  }

  await client.until(ended, timeout);
  const close = closeSeen();
  if (close?.kind === 'close') {
    // Answer like a well-behaved peer (§5.5.1), then the server must close TCP.
    if (expect.kind === 'fail') {
      const echo = typeof close.code === 'number' ? Uint8Array.of(close.code >> 8, close.code & 0xff) : new Uint8Array(0);
      await client.send({ fin: true, rsv: 0, opcode: OP.CLOSE, payload: echo });
    }
    if (role === 'server') await client.until(() => client.tcpClosed, 2000);
  }
  const before = seen().filter(isData);
  const wantBefore = expect.replies ?? [];
  if (bad().length > 0) return ['FAILED', `server broke the protocol: ${log()}`];
  if (!sameReplies(before, wantBefore)) return ['FAILED', `expected ${wantBefore.map(describeReply).join(' ') || 'nothing'} before the close, got ${log()}`];

  if (expect.kind === 'fail') {
    if (close?.kind !== 'close') {
      return client.tcpClosed ? ['NON-STRICT', `failed by dropping TCP without a close frame: ${log()}`] : ['FAILED', `connection not failed: ${log()}`];
    }
    if (close.code !== expect.code) return ['FAILED', `failed with ${close.code}, expected ${expect.code}: ${log()}`];
    if (role === 'server' && !client.tcpClosed) return ['FAILED', `close ${close.code} sent but TCP never closed: ${log()}`];
    serverSideEnds();
    if (lateFailure) return ['NON-STRICT', `failed with ${close.code} only at the end of the message, not at the first invalid byte: ${log()}`];
    return ['OK', log()];
  }
  // close-reply
  if (close?.kind !== 'close') return client.tcpClosed ? ['NON-STRICT', `TCP closed without a close reply: ${log()}`] : ['FAILED', `no close reply: ${log()}`];
  if (!expect.codes.includes(close.code)) return ['FAILED', `close reply ${close.code}, expected ${expect.codes.join(' or ')}`];
  if (!close.reasonValid) return ['FAILED', 'close reply reason is not UTF-8'];
  if (role === 'server' && !client.tcpClosed) return ['FAILED', 'server did not close TCP after the closing handshake (§7.1.1)'];
  const note = await closeOrderNote();
  serverSideEnds();
  return ['OK', log() + note];
}
