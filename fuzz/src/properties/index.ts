/** Every property, by name: the CI tests, the long run and the corpus replay all use this list. */
import { compressedHostile, compressedRoundTrip } from './compressed-round-trip.js';
import { connectionPair, connectionPairLossy } from './connection-pair.js';
import { differentialWs } from './differential-ws.js';
import { acceptKey, extensionHeader, extensionHeaderHostile, httpHead, httpHeadHostile, serverHandshakeBytes, upgradeRequest } from './handshake.js';
import { oversizedMessage } from './oversized-message.js';
import { hostileBytes } from './parser-robustness.js';
import type { AnyFuzzProperty } from './property.js';
import { roundTrip } from './round-trip.js';
import { unfinishedMessageMemory } from './unfinished-message-memory.js';

export const PROPERTIES: readonly AnyFuzzProperty[] = [
  roundTrip,
  compressedRoundTrip,
  compressedHostile,
  hostileBytes,
  oversizedMessage,
  unfinishedMessageMemory,
  connectionPair,
  connectionPairLossy,
  differentialWs,
  httpHead,
  httpHeadHostile,
  extensionHeader,
  extensionHeaderHostile,
  upgradeRequest,
  serverHandshakeBytes,
  acceptKey,
] as unknown as readonly AnyFuzzProperty[];

export const propertyNamed = (name: string): { readonly check: (input: unknown) => void | Promise<void> } | undefined =>
  PROPERTIES.find((p) => p.name === name) as { readonly check: (input: unknown) => void | Promise<void> } | undefined;
