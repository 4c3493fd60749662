/**
 * RFC 7692 §7.2.3 examples, byte for byte, through real Connections using permessage-deflate
 * on node:zlib: a client receiving the (unmasked) server frames, and a server producing them.
 */
import { describe, expect, it } from 'vitest';
import type { Extension, ExtensionOffer, ProtocolError } from '@sansock/core';
import { createNodePerMessageDeflate, type PerMessageDeflateOptions } from '../src/permessage-deflate/index.js';
import { End, Signal, closeCodeSent, hex, settle, toHex } from './permessage-deflate-helpers.js';

const NAME = 'permessage-deflate';

function clientExtension(response: ExtensionOffer['params'] = []): Extension {
  const factory = createNodePerMessageDeflate({}, { role: 'client', maxPayload: 0 });
  factory.offers();
  const extension = factory.confirm({ name: NAME, params: response });
  if (typeof extension === 'string') throw new Error(extension);
  return extension;
}

function serverExtension(options: PerMessageDeflateOptions = {}, offer: ExtensionOffer['params'] = []): Extension {
  const accepted = createNodePerMessageDeflate(options, { role: 'server', maxPayload: 0 }).accept([{ name: NAME, params: offer }]);
  if (accepted === null) throw new Error('declined');
  return accepted.extension;
}

/** Feeds frames to a client Connection, in the given pieces, and returns the text messages. */
async function receive(frames: string[], extension = clientExtension(), pieceSize = Infinity): Promise<End> {
  const signal = new Signal();
  const end = new End({ role: 'client', extensions: [extension] }, signal);
  const bytes = hex(frames.join(''));
  for (let offset = 0; offset < bytes.length; offset += Math.min(pieceSize, bytes.length)) {
    end.conn.receiveData(bytes.slice(offset, offset + Math.min(pieceSize, bytes.length)));
    await settle(signal, end);
  }
  return end;
}

const texts = (end: End): string[] => end.messages().map((m) => Buffer.from(m.data).toString('utf8'));

describe('RFC 7692 §7.2.3 examples, received by a client (node:zlib codec)', () => {
  for (const pieceSize of [Infinity, 1, 3]) {
    describe(`fed ${pieceSize === Infinity ? 'whole' : `${pieceSize} byte(s) at a time`}`, () => {
      it('§7.2.3.1 "Hello" in one compressed frame', async () => {
        expect(texts(await receive(['c1 07 f2 48 cd c9 c9 07 00'], undefined, pieceSize))).toEqual(['Hello']);
      });

      it('§7.2.3.1 "Hello" compressed and fragmented', async () => {
        expect(texts(await receive(['41 03 f2 48 cd', '80 04 c9 c9 07 00'], undefined, pieceSize))).toEqual(['Hello']);
      });

      it('§7.2.3.2 two messages sharing the LZ77 window (context takeover)', async () => {
        const end = await receive(['c1 07 f2 48 cd c9 c9 07 00', 'c1 05 f2 00 11 00 00'], undefined, pieceSize);
        expect(texts(end)).toEqual(['Hello', 'Hello']);
      });

      it('§7.2.3.3 a DEFLATE block with no compression', async () => {
        expect(texts(await receive(['c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00'], undefined, pieceSize))).toEqual(['Hello']);
      });

      it('§7.2.3.4 a DEFLATE block with BFINAL set, then a further message on a new stream', async () => {
        const end = await receive(['c1 08 f3 48 cd c9 c9 07 00 00', 'c1 07 f2 48 cd c9 c9 07 00'], undefined, pieceSize);
        expect(texts(end)).toEqual(['Hello', 'Hello']);
      });

      it('§7.2.3.5 two DEFLATE blocks in one message', async () => {
        expect(texts(await receive(['c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00'], undefined, pieceSize))).toEqual(['Hello']);
      });

      it('§7.2.3.6 an empty compressed message', async () => {
        expect(texts(await receive(['c1 01 00'], undefined, pieceSize))).toEqual(['']);
      });
    });
  }

  it('an uncompressed message (RSV1 clear) passes through untouched', async () => {
    expect(texts(await receive(['81 05 48 65 6c 6c 6f', 'c1 07 f2 48 cd c9 c9 07 00']))).toEqual(['Hello', 'Hello']);
  });

  it('§7.2.3.2 without context takeover the second message cannot refer to the first: 1007', async () => {
    const end = await receive(
      ['c1 07 f2 48 cd c9 c9 07 00', 'c1 05 f2 00 11 00 00'],
      clientExtension([['server_no_context_takeover', true]]),
    );
    expect(texts(end)).toEqual(['Hello']);
    const error = end.events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && error.error.code).toBe('WS_ERR_INVALID_COMPRESSED_DATA');
    expect(error?.type === 'error' && (error.error as ProtocolError).closeCode).toBe(1007);
    expect(closeCodeSent(end)).toBe(1007);
  });

  it('corrupt compressed data closes with 1007 WS_ERR_INVALID_COMPRESSED_DATA', async () => {
    // BTYPE 11 is reserved (RFC 1951 §3.2.3): an invalid block type.
    const end = await receive(['c1 02 ff ff']);
    const error = end.events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && [error.error.code, (error.error as ProtocolError).closeCode]).toEqual(['WS_ERR_INVALID_COMPRESSED_DATA', 1007]);
    expect(end.events.map((e) => e.type)).toEqual(['error', 'close-transport']);
  });

  it('RSV1 on a continuation frame is a protocol error (1002)', async () => {
    const end = await receive(['41 03 f2 48 cd', 'c0 04 c9 c9 07 00']);
    const error = end.events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && (error.error as ProtocolError).closeCode).toBe(1002);
  });
});

describe('RFC 7692 §7.2.3 examples, sent by a server (node:zlib codec)', () => {
  async function send(extension: Extension, ...messages: string[]): Promise<string[]> {
    const signal = new Signal();
    const end = new End({ role: 'server', extensions: [extension] }, signal);
    for (const message of messages) end.conn.send(message);
    await settle(signal, end);
    return end.written.map(toHex);
  }

  it('§7.2.3.1 / §7.2.3.2: "Hello" twice with context takeover', async () => {
    expect(await send(serverExtension(), 'Hello', 'Hello')).toEqual(['c1 07 f2 48 cd c9 c9 07 00', 'c1 05 f2 00 11 00 00']);
  });

  it('without context takeover (and threshold 0) each message is compressed from scratch', async () => {
    const extension = serverExtension({ serverNoContextTakeover: true, threshold: 0 });
    expect(await send(extension, 'Hello', 'Hello')).toEqual(['c1 07 f2 48 cd c9 c9 07 00', 'c1 07 f2 48 cd c9 c9 07 00']);
  });

  it('§7.2.3.6 an empty message compresses to a single 00', async () => {
    expect(await send(serverExtension(), '')).toEqual(['c1 01 00']);
  });

  it('threshold: without context takeover, messages under 1024 bytes go out uncompressed (ws semantics)', async () => {
    const extension = serverExtension({ serverNoContextTakeover: true });
    const frames = await send(extension, 'Hello', 'x'.repeat(1024));
    expect(frames[0]).toBe('81 05 48 65 6c 6c 6f');
    expect(frames[1]!.startsWith('c1 ')).toBe(true);
  });

  it('compress: false sends the message uncompressed, the next one is compressed again', async () => {
    const signal = new Signal();
    const end = new End({ role: 'server', extensions: [serverExtension()] }, signal);
    end.conn.send('Hello', { compress: false });
    end.conn.send('Hello');
    await settle(signal, end);
    expect(end.written.map(toHex)).toEqual(['81 05 48 65 6c 6c 6f', 'c1 07 f2 48 cd c9 c9 07 00']);
  });

  it('a fragmented send sets RSV1 on the first frame only and ends with the trailer stripped', async () => {
    const signal = new Signal();
    const end = new End({ role: 'server', extensions: [serverExtension()] }, signal);
    end.conn.send('Hel', { fin: false });
    end.conn.send('lo');
    await settle(signal, end);
    const [first, last] = end.written;
    expect(first![0]).toBe(0x41); // RSV1 + text, FIN clear
    expect(last![0]).toBe(0x80); // continuation, FIN, no RSV
    // A non-final frame keeps its sync-flush marker; the last one has it removed.
    expect(toHex(first!).endsWith('00 00 ff ff')).toBe(true);
    expect(toHex(last!).endsWith('00 00 ff ff')).toBe(false);
    // And a client decodes it back.
    const client = await receive([toHex(first!), toHex(last!)]);
    expect(texts(client)).toEqual(['Hello']);
  });
});
