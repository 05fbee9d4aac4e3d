function seconds(milliseconds: number): string {
  return (milliseconds / 1000).toFixed(3).replace(/\.?0+$/, '');
}

/**
 * Formats a duration the way OpenAI's rate-limit reset headers do (Go's
 * `time.Duration` string): `0s`, `12ms`, `1s`, `18.642s`, `6m0s`, `1h2m3s`.
 * Sub-millisecond parts are rounded to whole milliseconds.
 */
export function formatGoDuration(milliseconds: number): string {
  const total = Math.max(0, Math.round(milliseconds));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const rest = seconds(total % 60_000);
  if (hours > 0) return `${hours}h${minutes}m${rest}s`;
  if (minutes > 0) return `${minutes}m${rest}s`;
  return `${rest}s`;
}
