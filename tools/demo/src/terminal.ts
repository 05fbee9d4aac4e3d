/** Where the demo writes: whole lines, and text pieces for streamed tokens. */
export interface Terminal {
  line(text?: string): void;
  write(text: string): void;
}

/** Styles applied only when the output is a terminal that wants colour. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** ANSI styles when `enabled`, plain text otherwise (pipes, CI, NO_COLOR). */
export function createStyle(enabled: boolean): Style {
  const plain = (text: string) => text;
  return enabled
    ? {
        bold: wrap(1, 22),
        dim: wrap(2, 22),
        green: wrap(32, 39),
        red: wrap(31, 39),
        yellow: wrap(33, 39),
        cyan: wrap(36, 39),
      }
    : { bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain };
}

/** A fixed-width text table. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(format)];
}
