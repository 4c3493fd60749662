/**
 * A client and a server Connection over an in-memory network that splits, delays and
 * coalesces: every message arrives in order, and the closing handshake completes cleanly
 * whoever starts it, including both at once (RFC 6455 §7.1.2-§7.1.4).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sendOp, textBytes } from '../arbitraries.js';
import { type PipeAction, type PipeScript, runPipe } from '../pipe.js';
import { defineProperty } from './property.js';

const side = fc.constantFrom('client' as const, 'server' as const);

const closeAction = (): fc.Arbitrary<PipeAction> =>
  fc.record({
    kind: fc.constant('close' as const),
    code: fc.option(fc.constantFrom(1000, 1001, 1003, 1008, 1011, 3000, 4999), { nil: undefined }),
    reason: textBytes().map((b) => new TextDecoder().decode(b.subarray(0, 20)).slice(0, 10)),
  }).map((c) => (c.code === undefined ? { ...c, reason: '' } : c));

export const pipeScript = (): fc.Arbitrary<PipeScript> =>
  fc
    .record({
      sends: fc.array(fc.record({ step: fc.nat(40), side, action: sendOp() as fc.Arbitrary<PipeAction> }), { maxLength: 10 }),
      closes: fc.oneof(
        // One side closes...
        fc.tuple(fc.nat(45), side, closeAction()).map(([step, s, a]) => [{ step, side: s, action: a }]),
        // ...or both call close() at the same step, before either sees the other's close frame.
        fc.tuple(fc.nat(45), closeAction(), closeAction()).map(([step, a, b]) => [
          { step, side: 'client' as const, action: a },
          { step, side: 'server' as const, action: b },
        ]),
        // ...or both, at different times (the second may already have received the first's).
        fc.tuple(fc.nat(45), fc.nat(45), closeAction(), closeAction()).map(([s1, s2, a, b]) => [
          { step: s1, side: 'client' as const, action: a },
          { step: s2, side: 'server' as const, action: b },
        ]),
      ),
      steps: fc.array(fc.record({ toServer: fc.boolean(), size: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 400 })) }), {
        maxLength: 60,
      }),
      fragmentSize: fc.record({
        client: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
        server: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
      }),
    })
    .map(({ sends, closes, steps, fragmentSize }) => ({ actions: [...sends, ...closes], steps, fragmentSize }));

export const connectionPair = defineProperty<PipeScript>({
  name: 'connection-pair',
  ciRuns: 600,
  arbitrary: pipeScript(),
  check(script) {
    const { client, server } = runPipe(script);
    for (const [me, peer, name] of [
      [client, server, 'client'],
      [server, client, 'server'],
    ] as const) {
      const errors = me.events.filter((e) => e.type === 'error');
      assert.deepEqual(errors, [], `${name} saw an error`);
      // Everything the peer sent before its close frame arrives, in order, then the peer's close.
      const data = me.seen.filter((s) => s.kind !== 'close');
      assert.deepEqual(data, peer.sent, `${name} did not receive what the peer sent`);
      const closes = me.seen.filter((s) => s.kind === 'close');
      assert.equal(closes.length, 1, `${name} sees exactly one close frame`);
      // The peer's close frame carries the peer's own code if it started closing, else the echo of ours (§5.5.1).
      const expectedCode = peer.closeCodeSent ?? me.closeCodeSent;
      assert.equal(closes[0]?.kind === 'close' ? closes[0].code : undefined, expectedCode, `${name} close code`);
      assert.ok(me.closed, `${name} never saw closed`);
      assert.equal(me.closed.wasClean, true, `${name} closed uncleanly`);
      assert.equal(me.closed.code, expectedCode);
      assert.equal(me.conn.state, 'CLOSED');
    }
    // §7.1.1: the server closes the TCP connection first.
    assert.equal(server.events.some((e) => e.type === 'close-transport'), true, 'server must close the transport');
    assert.equal(client.events.some((e) => e.type === 'close-transport'), false, 'a client in a clean close waits for the server');
  },
});

/**
 * The same pair over a network that dies at some point, in one or both directions (a peer that
 * vanishes, a half-open connection). After the transports are torn down, each side ends with
 * exactly one `closed` event, has received an in-order prefix of what the peer sent, reports
 * wasClean only if it saw the peer's close frame, and 1006 when it did not (§7.1.5).
 */
export const connectionPairLossy = defineProperty<PipeScript>({
  name: 'connection-pair-lossy',
  ciRuns: 400,
  arbitrary: fc
    .tuple(pipeScript(), fc.nat(60), fc.constantFrom([true, false], [false, true], [true, true]))
    .map(([script, step, [toServer, toClient]]) => ({ ...script, cut: { step, toServer: toServer!, toClient: toClient! } })),
  check(script) {
    const { client, server } = runPipe(script);
    for (const [me, peer, name] of [
      [client, server, 'client'],
      [server, client, 'server'],
    ] as const) {
      assert.deepEqual(me.events.filter((e) => e.type === 'error'), [], `${name} saw an error`);
      const closedEvents = me.events.filter((e) => e.type === 'closed');
      assert.equal(closedEvents.length, 1, `${name}: exactly one closed event`);
      assert.equal(me.events.at(-1)?.type, 'closed', `${name}: closed comes last`);
      assert.equal(me.conn.state, 'CLOSED');
      const data = me.seen.filter((s) => s.kind !== 'close');
      assert.deepEqual(data, peer.sent.slice(0, data.length), `${name} received something other than a prefix of what was sent`);
      const close = me.seen.find((s) => s.kind === 'close');
      const closed = me.closed!;
      assert.equal(closed.wasClean, close !== undefined, `${name}: clean exactly when the peer's close frame arrived`);
      assert.equal(closed.code, close?.kind === 'close' ? close.code : 1006);
    }
  },
});
