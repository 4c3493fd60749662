/** faye's `ping(message, callback)`: the callback runs when a pong carrying the same payload arrives. */
export class PingCallbacks {
  private readonly byPayload = new Map<string, () => void>();

  add(payload: string | Buffer, callback: () => void): void {
    // Keyed by the payload's bytes (as latin1, so any bytes round-trip); a later ping with the
    // same payload replaces the earlier callback, as in websocket-driver.
    this.byPayload.set(Buffer.from(payload).toString('latin1'), callback);
  }

  answer(pong: Uint8Array): void {
    const key = Buffer.from(pong.buffer, pong.byteOffset, pong.byteLength).toString('latin1');
    const callback = this.byPayload.get(key);
    if (callback === undefined) return;
    this.byPayload.delete(key);
    callback();
  }

  clear(): void {
    this.byPayload.clear();
  }
}
