/**
 * Reordering a registry's upstreams: the list shown while someone drags or presses keys, and the one call
 * (`PATCH ... {position}`) that makes the server's order match. Positions are 1-based, as in the API.
 */

/** A copy of `items` with the one at `from` moved to `to` (0-based indexes, clamped into range). */
export function moved<T>(items: readonly T[], from: number, to: number): T[] {
  const result = items.slice();
  if (from < 0 || from >= result.length) {
    return result;
  }
  const target = Math.max(0, Math.min(result.length - 1, to));
  const [item] = result.splice(from, 1);
  result.splice(target, 0, item);
  return result;
}

/** The move a key press asks for at `index` of `length` items, or null for a key that does not move. */
export function keyboardTarget(key: string, index: number, length: number): number | null {
  switch (key) {
    case 'ArrowUp':
      return index > 0 ? index - 1 : null;
    case 'ArrowDown':
      return index < length - 1 ? index + 1 : null;
    case 'Home':
      return index > 0 ? 0 : null;
    case 'End':
      return index < length - 1 ? length - 1 : null;
    default:
      return null;
  }
}

/** What a screen reader hears after a move. */
export function announcement(name: string, position: number, length: number): string {
  return `${name} moved to position ${position} of ${length}.`;
}
