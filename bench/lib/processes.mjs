import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROCS = fileURLToPath(new URL('../procs/', import.meta.url));

/** A library the scenario could not run: the reason ends up in the table instead of a number. */
export class Unavailable extends Error {}

/**
 * A forked server or client script, talked to over IPC. Messages are queued until someone
 * asks for them by type, so no reply is lost to a race. The child's stderr is kept for errors.
 */
export class Child {
  constructor(script, config, { env = {}, execArgv = [], execPath } = {}) {
    this.name = `${script} (${config.module ?? config.impl ?? ''})`;
    this.process = fork(PROCS + script, [JSON.stringify(config)], {
      env: { ...process.env, ...env },
      execArgv,
      // Another runtime for this child (bench/bun.mjs: Bun, which speaks Node's IPC); default Node.
      ...(execPath ? { execPath } : {}),
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    this.stderr = '';
    this.process.stderr.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.inbox = [];
    this.waiters = [];
    this.exited = false;
    this.process.on('message', (message) => {
      this.inbox.push(message);
      this.deliver();
    });
    this.process.on('exit', (code, signal) => {
      this.exited = true;
      this.exitCode = code;
      this.exitSignal = signal;
      this.deliver();
    });
  }

  send(message) {
    // A client that exits by itself after its result can close the channel between the check
    // and the write: with a callback, that EPIPE is ignored instead of thrown as an 'error' event.
    if (!this.exited && this.process.connected) this.process.send(message, () => {});
  }

  /** The next message of this type; rejects on an `error` message, an early exit or a timeout. */
  next(type, timeoutMs = 60_000) {
    return new Promise((resolve, reject) => {
      const waiter = { type, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`${this.name}: no '${type}' within ${timeoutMs} ms${this.tail()}`));
      }, timeoutMs);
      this.waiters.push(waiter);
      this.deliver();
    });
  }

  /** Sends a command and waits for the reply of the given type. */
  request(message, replyType, timeoutMs) {
    this.send(message);
    return this.next(replyType, timeoutMs);
  }

  deliver() {
    for (const waiter of [...this.waiters]) {
      const index = this.inbox.findIndex((m) => m.type === waiter.type || m.type === 'error' || m.type === 'unavailable');
      let settle;
      if (index >= 0) {
        const [message] = this.inbox.splice(index, 1);
        if (message.type === 'unavailable') settle = () => waiter.reject(new Unavailable(message.reason));
        else if (message.type === 'error') settle = () => waiter.reject(new Error(`${this.name}: ${message.message}`));
        else settle = () => waiter.resolve(message);
      } else if (this.exited) {
        settle = () =>
          waiter.reject(new Error(`${this.name} exited (code ${this.exitCode}, signal ${this.exitSignal})${this.tail()}`));
      } else continue;
      clearTimeout(waiter.timer);
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      settle();
    }
  }

  tail() {
    const text = this.stderr.trim();
    return text ? `\n${text.split('\n').slice(-8).join('\n')}` : '';
  }

  /** Asks the child to exit, then kills it if it has not within a second. */
  async stop() {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(timer);
  }
}

/** Stops every child, whatever state they are in. */
export async function stopAll(children) {
  await Promise.all(children.filter(Boolean).map((child) => child.stop()));
}
