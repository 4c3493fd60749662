/**
 * A faye extension written here (not permessage-deflate): it claims RSV2, negotiates parameters
 * (a number, a bare flag, a repeated name) and reverses every message's bytes asynchronously.
 * Our faye side and faye-websocket's must agree on its offer, response and transform, both ways.
 */
import { afterEach, describe, expect, it } from 'vitest';
import OurFaye, { type FayeExtension, type FayeMessage, type FayeParams } from '@sansock/node/faye';
import { type FayeModuleLike, type FayeSocketLike, type TestServer, TheirFaye, echo, fayeServer, messages, nextEvent } from './faye-helpers.js';

const Ours = OurFaye as unknown as FayeModuleLike;

interface Seen {
  offers: FayeParams[][];
  activated: FayeParams[];
  /** Messages each direction transformed (incoming: those that arrived with RSV2). */
  reversedOut: number;
  reversedIn: number;
}

function reverseExtension(seen: Seen): FayeExtension {
  const transform = (message: FayeMessage, callback: (error: Error | null, message: FayeMessage) => void, outgoing: boolean) => {
    if (!outgoing && !message.rsv2) return callback(null, message);
    // Asynchronous on purpose: the adapter must keep order across callbacks.
    if (outgoing) seen.reversedOut++;
    else seen.reversedIn++;
    setImmediate(() => {
      message.data = Buffer.from(message.data).reverse();
      if (outgoing) message.rsv2 = true;
      callback(null, message);
    });
  };
  const session = {
    processIncomingMessage: (message: FayeMessage, callback: (error: Error | null, message: FayeMessage) => void) =>
      transform(message, callback, false),
    processOutgoingMessage: (message: FayeMessage, callback: (error: Error | null, message: FayeMessage) => void) =>
      transform(message, callback, true),
    close: () => {},
  };
  return {
    name: 'x-reverse',
    type: 'permessage',
    rsv1: false,
    rsv2: true,
    rsv3: false,
    createClientSession: () => ({
      ...session,
      generateOffer: () => ({ level: 3, strict: true, tag: ['a', 'b'] }),
      activate: (params: FayeParams) => {
        seen.activated.push(params);
        return params.level === 3;
      },
    }),
    createServerSession: (offers: FayeParams[]) => {
      seen.offers.push(offers);
      return { ...session, generateResponse: () => ({ level: offers[0]!.level as number }) };
    },
  };
}

let app: TestServer | undefined;
const clients: FayeSocketLike[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) if (client.readyState < 2) client.close();
  await app?.close();
  app = undefined;
});

describe('a custom faye extension (RSV2, parameters, asynchronous transform)', () => {
  for (const [name, Server, Client] of [
    ['our server, their client', Ours, TheirFaye],
    ['their server, our client', TheirFaye, Ours],
  ] as const) {
    it(name, async () => {
      const seen: Seen = { offers: [], activated: [], reversedOut: 0, reversedIn: 0 };
      const extension = reverseExtension(seen);
      app = await fayeServer(Server, echo, null, { extensions: [extension] });
      const client = new Client.Client(app.url, null, { extensions: [extension] });
      clients.push(client);
      await nextEvent(client, 'open');
      expect(seen.offers).toEqual([[{ level: 3, strict: true, tag: ['a', 'b'] }]]);
      expect(seen.activated).toEqual([{ level: 3 }]);
      const replies = messages(client, 3);
      client.send('abc');
      client.send(Buffer.from([1, 2, 3]));
      client.send('héllo wörld');
      expect(await replies).toEqual(['abc', Buffer.from([1, 2, 3]), 'héllo wörld']);
      // Three messages each way, each reversed by its sender and again by its receiver.
      expect(seen).toMatchObject({ reversedOut: 6, reversedIn: 6 });
    });
  }
});
