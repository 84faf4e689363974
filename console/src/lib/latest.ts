/**
 * Orders the loads of one view: each load begun gets a check that holds while no later load has begun, so an answer
 * that arrives after a later choice's (a slower request for the registry left a moment ago) is dropped instead of
 * overwriting what the page shows now.
 */
export function loadSequence(): () => () => boolean {
  let begun = 0;
  return () => {
    const mine = ++begun;
    return () => mine === begun;
  };
}
