/** Node's timers as the driver's Clock: one shared object, nothing per connection. */
import type { Clock } from '@sansock/core/driver';

export const nodeClock: Clock = {
  setTimer: (delayMs, callback) => setTimeout(callback, delayMs),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
  // `ws` calls send callbacks and delivers early frames on the next tick: so do we.
  soon: (callback, arg) => process.nextTick(callback, arg),
  later: (callback) => {
    setImmediate(callback);
  },
  now: () => performance.now(),
};
