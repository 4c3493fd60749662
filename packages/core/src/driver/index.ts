/**
 * @sansock/core/driver: the lifecycle every adapter needs around a Connection (event pump,
 * write batching, send callbacks, close timer and TCP close order, auto-pong accounting,
 * pause/resume, bufferedAmount, readyState), with the transport and the clock injected.
 * Runtime-neutral like the rest of the core.
 */
export { Driver } from './driver.js';
export { DEFAULT_CLOSE_TIMEOUT, DEFAULT_MAX_PENDING_AUTO_PONGS } from './driver-options.js';
export { DEFAULT_SEND_HIGH_WATER_MARK, checkSendHighWaterMark } from './high-water.js';
export { holdWrites, releaseWrites } from './hold-writes.js';
export type { DriverOptions } from './driver-options.js';
export type { KeepAliveOptions } from './keep-alive.js';
export { DEFAULT_MAX_PONG_WAITERS } from './pong-waiters.js';
export type { PingWaitOptions, PongCallback } from './pong-waiters.js';
export type { SendCallback } from './send-callbacks.js';
export type { Clock, DriverEvents, TimerHandle, Transport, WriteDone } from './transport.js';
