/** The `Upgrade` and `Connection` checks both sides make (RFC 6455 §4.1 items 2-3, §4.2.1 items 3-4). */
import { equalsIgnoringCase } from './header-list.js';
import { tokenListIncludes } from './tokens.js';

/**
 * `Upgrade` is a list of protocols (RFC 9110 §7.8: `protocol-name ["/" protocol-version]`), so
 * it is split on commas rather than parsed as tokens; one element must be `websocket`,
 * compared case-insensitively.
 */
export function upgradeIncludesWebSocket(value: string | undefined): boolean {
  if (value === undefined) return false;
  // Almost every peer sends exactly this token: no list to split.
  if (value.length === 9) return equalsIgnoringCase(value, 'websocket');
  return value.split(',').some((element) => element.trim().toLowerCase() === 'websocket');
}

/** `Connection` is a token list (`keep-alive, Upgrade`); one token must be `upgrade`, any case. */
export function connectionIncludesUpgrade(value: string | undefined): boolean {
  if (value === undefined) return false;
  return tokenListIncludes(value, 'upgrade');
}
