/** Deno's timers as the driver's Clock: one shared object, nothing per connection. */
import type { Clock } from '@sansock/core/driver';

export const denoClock: Clock = {
  setTimer: (delayMs, callback) => setTimeout(callback, delayMs),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  // Send callbacks never run inside send(): a microtask is the earliest "after the current code".
  soon: (callback, arg) => queueMicrotask(() => callback(arg)),
  // After pending I/O: a zero-delay timer runs after the poll phase of Deno's event loop.
  later: (callback) => {
    setTimeout(callback, 0);
  },
  // Monotonic (the keep-alive measures silences with it; the wall clock may jump).
  now: () => performance.now(),
};
