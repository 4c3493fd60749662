import { describe, expect, it } from 'vitest';
import { client, server } from './helpers.js';

/**
 * `Connection.outputBytes`: what an adapter's `bufferedAmount` counts for frames the core has
 * produced but the adapter has not taken (and written) yet.
 */
describe('outputBytes', () => {
  it('counts every frame waiting in the output, header and mask key included, until takeOutput()', () => {
    const s = server();
    expect(s.outputBytes).toBe(0);
    s.send('hello'); // 2-byte header + 5
    s.send(new Uint8Array(200)); // 4-byte header (16-bit length, §5.2) + 200
    s.ping('p'); // 2 + 1
    expect(s.outputBytes).toBe(7 + 204 + 3);
    const taken = s.takeOutput();
    expect(taken.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(214);
    expect(s.outputBytes).toBe(0);

    const c = client();
    c.send('hi'); // 2 + 4-byte mask key + 2 (§5.3)
    expect(c.outputBytes).toBe(8);
    c.takeOutput();
    expect(c.outputBytes).toBe(0);
  });
});
