/**
 * Synchronous zlib calls on a persistent node:zlib stream, for small messages.
 *
 * Why: an asynchronous `write` is a round trip through libuv's thread pool per message and
 * direction. For a 1 KiB message that round trip costs several times the compression itself
 * (bench/RESULTS.md, scenario 7: 42-55 µs of CPU for deflate + inflate on async streams, about
 * 10 µs done synchronously). Node has no public synchronous call on a stream that keeps its
 * context across messages (`deflateRawSync` starts a new stream each time; `_processChunk`
 * without a callback closes the handle afterwards), so this uses what the stream itself is
 * built on: its binding handle's `writeSync(flush, in, inOff, inLen, out, outOff, outLen)`,
 * after which the stream's `_writeState` holds `[availOutAfter, availInAfter]` (zlib's
 * `avail_out` / `avail_in`). Node 20+, Bun and Deno's node:zlib all have it; since it is not
 * public API, `syncZlibSupported()` checks once, by behaviour, that it works as described, and
 * the codec keeps the asynchronous path wherever it does not.
 *
 * The handle runs one operation at a time (Node aborts the process on a synchronous write while
 * an asynchronous one is in flight), so the codec only calls this when none of its own is.
 */
import { type DeflateRaw, type InflateRaw, constants, createDeflateRaw, createInflateRaw } from 'node:zlib';

type ZlibStream = DeflateRaw | InflateRaw;

/** The handle's error report: zlib's message, its errno, and (Node, Bun) the code name. */
type OnError = (this: SyncHandle, message: string, errno: number, code?: string) => void;

/** The part of the binding handle used here (not public API: checked by `syncZlibSupported`). */
interface SyncHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, output: Uint8Array, outOff: number, outLen: number): void;
  onerror: OnError;
}

/** The stream's internals this relies on. */
interface StreamInternals {
  _handle?: SyncHandle | null;
  _writeState?: unknown;
  errored?: unknown;
}

const internals = (stream: ZlibStream): StreamInternals => stream as unknown as StreamInternals;

const ERROR_NAMES = ['Z_NEED_DICT', 'Z_ERRNO', 'Z_STREAM_ERROR', 'Z_DATA_ERROR', 'Z_MEM_ERROR', 'Z_BUF_ERROR', 'Z_VERSION_ERROR'] as const;

/**
 * zlib's error as the stream reports it: Node and Bun keep the very object their 'error' event
 * carries in `stream.errored`; elsewhere (Deno) it is built the same way (message, errno, code).
 */
function zlibError(stream: ZlibStream, message: string, errno: number, code: string | undefined): Error {
  const errored = internals(stream).errored;
  if (errored instanceof Error) return errored;
  return Object.assign(new Error(message), { errno, code: code ?? ERROR_NAMES.find((name) => constants[name] === errno) });
}

/**
 * One stream's synchronous calls. After `write`, `availOut` and `availIn` say how much of the
 * output space is left unused and how much input zlib did not consume.
 */
export class SyncZlib {
  availOut = 0;
  availIn = 0;
  private readonly handle: SyncHandle;
  private readonly state: Uint32Array;
  private failure: Error | undefined;

  constructor(stream: ZlibStream) {
    const { _handle: handle, _writeState: state } = internals(stream);
    if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array) || state.length < 2) {
      throw new Error('zlib stream without a synchronous handle');
    }
    this.handle = handle;
    this.state = state;
    // The runtime reports a zlib error through the handle's `onerror` (which then destroys the
    // stream and emits 'error' later): note it, so the synchronous caller can throw it now.
    const report = handle.onerror;
    const onFailure = (error: Error): void => {
      this.failure = error;
    };
    handle.onerror = function (this: SyncHandle, message, errno, code) {
      report.call(this, message, errno, code);
      onFailure(zlibError(stream, message, errno, code));
    };
  }

  /**
   * One zlib call with Z_SYNC_FLUSH: consumes `input[offset, offset + length)` into `output`
   * until either runs out. Throws zlib's error (the stream is then unusable: let it go).
   */
  write(input: Uint8Array, offset: number, length: number, output: Uint8Array): void {
    this.handle.writeSync(constants.Z_SYNC_FLUSH, input, offset, length, output, 0, output.length);
    const failure = this.failure;
    if (failure !== undefined) throw failure;
    this.availOut = this.state[0]!;
    this.availIn = this.state[1]!;
  }
}

/** Output space shared by every synchronous call of the process (one runs at a time). */
let scratch = new Uint8Array(0);

/** A scratch buffer of `size` bytes; its contents are only valid until the next call. */
export function scratchOutput(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(size);
  return scratch.length === size ? scratch : scratch.subarray(0, size);
}

let supported: boolean | undefined;

/** Whether this runtime's node:zlib streams have the synchronous handle call (checked once, lazily). */
export function syncZlibSupported(): boolean {
  supported ??= probe();
  return supported;
}

/** Feeds all of `input` through `zlib`, returning the output (for the probe: small data). */
function run(zlib: SyncZlib, input: Uint8Array): Uint8Array {
  const output = new Uint8Array(1024);
  zlib.write(input, 0, input.length, output);
  if (zlib.availIn !== 0 || zlib.availOut === 0) throw new Error('unexpected zlib state');
  return output.slice(0, output.length - zlib.availOut);
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

/**
 * Does what the codec relies on, once: two messages through one deflate stream (the second
 * using the first's context), both ending with 00 00 FF FF, inflated back by one inflate
 * stream; then corrupt data must throw zlib's Z_DATA_ERROR. Any surprise means "unsupported".
 */
function probe(): boolean {
  const streams: ZlibStream[] = [];
  try {
    const deflate = createDeflateRaw();
    const inflate = createInflateRaw();
    const broken = createInflateRaw();
    streams.push(deflate, inflate, broken);
    broken.on('error', () => {}); // the runtime's own report of the corrupt data below
    const message = new TextEncoder().encode('{"probe":"sansock","probe2":"sansock"}');
    const compress = new SyncZlib(deflate);
    const decompress = new SyncZlib(inflate);
    let previous = Infinity;
    for (let round = 0; round < 2; round++) {
      const compressed = run(compress, message);
      const n = compressed.length;
      const trailer = compressed[n - 4] === 0 && compressed[n - 3] === 0 && compressed[n - 2] === 0xff && compressed[n - 1] === 0xff;
      // The second round refers back to the first (context takeover): it must come out smaller.
      if (!trailer || n >= previous || !sameBytes(run(decompress, compressed), message)) return false;
      previous = n;
    }
    try {
      run(new SyncZlib(broken), Uint8Array.of(0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff));
      return false;
    } catch (error) {
      return (error as { code?: unknown }).code === 'Z_DATA_ERROR';
    }
  } catch {
    return false;
  } finally {
    for (const stream of streams) stream.close();
  }
}
