/**
 * The order in which round `round` runs `names`: a Williams design. Over every run of
 * `2 × names.length` rounds (`names.length` when it is even), each name runs in each
 * position equally often and right after each other name equally often, so that
 * neither going first nor what ran just before (the server's state, the machine's)
 * favours one contender. Later rounds repeat the cycle.
 */
export function roundOrder<Name>(names: readonly Name[], round: number): readonly Name[] {
  const count = names.length;
  if (count < 2) return names;
  // The first sequence: 0, 1, n-1, 2, n-2, ...; the others shift it by the round.
  const base: number[] = [0];
  for (let step = 1; base.length < count; step += 1) {
    base.push(step);
    if (base.length < count) base.push(count - step);
  }
  const sequences = count % 2 === 0 ? count : 2 * count;
  const cycle = round % sequences;
  const shifted = base.map((index) => (index + (cycle % count)) % count);
  // With an odd count, the second half of the cycle runs the sequences backwards.
  const order = cycle < count ? shifted : shifted.reverse();
  return order.map((index) => names[index] as Name);
}
