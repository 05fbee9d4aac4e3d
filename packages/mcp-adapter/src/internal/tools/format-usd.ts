/** `$0.000123`, or `cost unknown` for a model without a price. */
export function formatUsd(costUsd: number | null): string {
  if (costUsd === null) return 'cost unknown';
  return `$${costUsd < 0.01 ? costUsd.toFixed(6) : costUsd.toFixed(4)}`;
}
