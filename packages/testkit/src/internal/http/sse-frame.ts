/** A chat-completions style frame: `data: <json>` and a blank line. */
export function dataFrame(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** The chat-completions terminator. */
export const doneFrame = 'data: [DONE]\n\n';

/** A Responses API style frame: `event: <type>`, `data: <json>` and a blank line. */
export function eventFrame(event: { readonly type: string } & Readonly<Record<string, unknown>>): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
