/** One server-sent event as framed on the wire. */
export interface SseFrame {
  readonly event: string | null;
  readonly data: string;
}

/** Splits an SSE body into frames (LF line endings, as the simulator sends). */
export function parseSse(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      return { event, data: data.join('\n') };
    });
}
