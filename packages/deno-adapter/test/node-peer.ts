/** Runs test/peers/node-peer.mjs (the @sansock/node peer) with Deno.Command and reads its JSON lines. */

export interface PeerLine {
  readonly event: string;
  readonly port?: number;
  readonly extensions?: string;
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

export interface NodePeer {
  /** The next line whose event is `event` (earlier lines of other events are skipped). */
  next(event: string): Promise<PeerLine>;
  /** Waits for the process to exit (kills it first if `kill`). */
  done(kill?: boolean): Promise<Deno.CommandStatus>;
}

const script = new URL('./peers/node-peer.mjs', import.meta.url).pathname;

export function startNodePeer(...args: string[]): NodePeer {
  const child = new Deno.Command('node', { args: [script, ...args], stdout: 'piped', stderr: 'inherit' }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  const pending: PeerLine[] = [];
  let ended = false;
  const readLine = async (): Promise<PeerLine | undefined> => {
    for (;;) {
      const newline = buffered.indexOf('\n');
      if (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        return JSON.parse(line) as PeerLine;
      }
      if (ended) return undefined;
      const { value, done } = await lines.read();
      if (done) ended = true;
      else buffered += value;
    }
  };
  return {
    async next(event) {
      const index = pending.findIndex((line) => line.event === event);
      if (index >= 0) return pending.splice(index, 1)[0]!;
      for (;;) {
        const line = await readLine();
        if (line === undefined) throw new Error(`the node peer ended before a "${event}" line`);
        if (line.event === event) return line;
        pending.push(line);
      }
    },
    async done(kill = false) {
      if (kill) {
        try {
          child.kill('SIGKILL');
        } catch {
          // Already exited.
        }
      }
      // Drain stdout so the stream's resources are released (the sanitizer checks them).
      while ((await readLine()) !== undefined);
      lines.releaseLock();
      return await child.status;
    },
  };
}
