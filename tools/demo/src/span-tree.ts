import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { Style } from './terminal.ts';

const ms = (time: HrTime): number => time[0] * 1_000 + time[1] / 1e6;

/** What a span says went wrong, in a few words: the error type and the HTTP status. */
function outcomeOf(span: ReadableSpan, style: Style): string {
  const errorType = span.attributes['error.type'];
  if (typeof errorType !== 'string') return style.green('ok');
  const status = span.attributes['http.response.status_code'];
  return style.red(typeof status === 'number' ? `${errorType} (HTTP ${status})` : errorType);
}

/** One event as a line: a retry, a pacing wait, a fallback hop, a circuit change, ... */
function eventLine(event: TimedEvent): string {
  const attribute = (name: string): string => {
    const value = event.attributes?.[`openai_integration.${name}`];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '?';
  };
  switch (event.name) {
    case 'openai_integration.retry':
      return `retry in ${attribute('retry.delay_ms')} ms (${attribute('retry.reason')}, after ${attribute('retry.error_type')})`;
    case 'openai_integration.fallback':
      return `fallback ${attribute('fallback.from_model')} -> ${attribute('fallback.to_model')} (${attribute('fallback.reason')})`;
    case 'openai_integration.pacing.wait':
      return `pacing wait ${attribute('pacing.wait_ms')} ms (${attribute('pacing.reason')})`;
    case 'openai_integration.circuit.change':
      return `circuit ${attribute('transport.key')}: ${attribute('circuit.from')} -> ${attribute('circuit.to')}`;
    default:
      return event.name.replace(/^openai_integration\./, '');
  }
}

/**
 * Draws finished spans as an indented tree, the way a tracing back end shows them: each
 * span with its start relative to the root's, its duration and its outcome; its events
 * (retries, fallback hops, ...) and child spans below it in time order.
 */
export function renderSpanTree(spans: readonly ReadableSpan[], style: Style): string[] {
  const byParent = new Map<string, ReadableSpan[]>();
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const roots: ReadableSpan[] = [];
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    if (parent === undefined || !ids.has(parent)) roots.push(span);
    else byParent.set(parent, [...(byParent.get(parent) ?? []), span]);
  }
  const lines: string[] = [];
  const draw = (span: ReadableSpan, origin: number, prefix: string, branch: string, last: boolean): void => {
    const start = ms(span.startTime) - origin;
    const duration = ms(span.endTime) - ms(span.startTime);
    const number = span.attributes['openai_integration.attempt.number'];
    const label = typeof number === 'number' ? `${span.name} #${number}` : style.bold(span.name);
    lines.push(
      `${prefix}${branch}${label}  ${style.dim(`+${Math.round(start)} ms, ${Math.round(duration)} ms`)}  ${outcomeOf(span, style)}`,
    );
    const inner = prefix + (branch === '' ? '' : last ? '   ' : '│  ');
    // Child spans in the order they started (ties: in the order they ended), then each
    // event next to the attempt it is about: a retry after the attempt that failed, a
    // fallback hop before the next model's first attempt, any other event by its time.
    // Times alone cannot order them when a clock stands still between steps (tests).
    const children = [...(byParent.get(span.spanContext().spanId) ?? [])].sort(
      (a, b) => ms(a.startTime) - ms(b.startTime),
    );
    const items: ((lastItem: boolean) => void)[] = children.map((child) => (lastItem: boolean) => {
      draw(child, origin, inner, lastItem ? '└─ ' : '├─ ', lastItem);
    });
    const anchors: (ReadableSpan | undefined)[] = [...children];
    for (const event of span.events) {
      const drawEvent = (lastItem: boolean): void => {
        lines.push(`${inner}${lastItem ? '└─ ' : '├─ '}${style.yellow(`· ${eventLine(event)}`)}`);
      };
      const at = (index: number): void => {
        items.splice(index, 0, drawEvent);
        anchors.splice(index, 0, undefined);
      };
      const attributes = event.attributes ?? {};
      const failed = anchors.findIndex(
        (child) =>
          child !== undefined &&
          child.attributes[`openai_integration.attempt.number`] === attributes['openai_integration.attempt.number'] &&
          child.attributes['openai_integration.transport.key'] === attributes['openai_integration.transport.key'],
      );
      const next = anchors.findIndex(
        (child) =>
          child !== undefined &&
          child.attributes['gen_ai.request.model'] === attributes['openai_integration.fallback.to_model'],
      );
      if (event.name === 'openai_integration.retry' && failed !== -1) at(failed + 1);
      else if (event.name === 'openai_integration.fallback' && next !== -1) at(next);
      else {
        const later = anchors.findIndex((child) => child !== undefined && ms(child.startTime) > ms(event.time));
        at(later === -1 ? items.length : later);
      }
    }
    items.forEach((item, index) => {
      item(index === items.length - 1);
    });
  };
  for (const root of roots) draw(root, ms(root.startTime), '   ', '', true);
  return lines;
}
