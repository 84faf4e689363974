import { describe, expect, it } from 'vitest';
import { loadSequence } from '../../src/lib/latest';

describe('the loads of a view', () => {
  it('keeps only the answer of the load begun last, whatever order the answers arrive in', async () => {
    const begin = loadSequence();
    const shown: string[] = [];
    let answerFirst: (value: string) => void = () => {};
    async function load(answer: Promise<string>): Promise<void> {
      const current = begin();
      const value = await answer;
      if (current()) {
        shown.push(value);
      }
    }
    const slow = load(new Promise((resolve) => { answerFirst = resolve; }));
    const fast = load(Promise.resolve('the group'));
    await fast;
    answerFirst('registry team');
    await slow;
    expect(shown).toEqual(['the group']);
  });

  it('lets a load through when none began after it', () => {
    const begin = loadSequence();
    const first = begin();
    expect(first()).toBe(true);
    const second = begin();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
  });
});
