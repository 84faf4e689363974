import { describe, expect, it } from 'vitest';
import { announcement, keyboardTarget, moved } from '../../src/lib/reorder';

describe('moved', () => {
  it('moves one item and keeps the rest in order', () => {
    expect(moved([1, 2, 3, 4], 0, 2)).toEqual([2, 3, 1, 4]);
    expect(moved([1, 2, 3, 4], 3, 0)).toEqual([4, 1, 2, 3]);
    expect(moved([1, 2, 3], 1, 1)).toEqual([1, 2, 3]);
  });

  it('clamps the target and ignores a source out of range, never changing its input', () => {
    const input = [1, 2, 3];
    expect(moved(input, 0, 9)).toEqual([2, 3, 1]);
    expect(moved(input, 5, 0)).toEqual([1, 2, 3]);
    expect(input).toEqual([1, 2, 3]);
  });
});

describe('keyboardTarget', () => {
  it('moves up, down, to the top and to the bottom', () => {
    expect(keyboardTarget('ArrowUp', 2, 4)).toBe(1);
    expect(keyboardTarget('ArrowDown', 2, 4)).toBe(3);
    expect(keyboardTarget('Home', 2, 4)).toBe(0);
    expect(keyboardTarget('End', 1, 4)).toBe(3);
  });

  it('does nothing past the ends or for other keys', () => {
    expect(keyboardTarget('ArrowUp', 0, 4)).toBeNull();
    expect(keyboardTarget('ArrowDown', 3, 4)).toBeNull();
    expect(keyboardTarget('Home', 0, 4)).toBeNull();
    expect(keyboardTarget('End', 3, 4)).toBeNull();
    expect(keyboardTarget('Enter', 1, 4)).toBeNull();
  });
});

describe('announcement', () => {
  it('tells the new position', () => {
    expect(announcement('proxy', 1, 2)).toBe('proxy moved to position 1 of 2.');
  });
});
