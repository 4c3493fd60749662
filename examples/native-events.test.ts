import { expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript example, no types
import { run } from './native-events.mjs';

it('native-events: browser code sees real MessageEvents and its AbortSignal removes the listener', async () => {
  expect(await run()).toEqual(['one', 'two']);
});
