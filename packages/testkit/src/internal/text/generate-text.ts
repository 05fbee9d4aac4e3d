import type { Random } from '../random/create-random.ts';

const vocabulary = [
  'the',
  'a',
  'simulated',
  'model',
  'answer',
  'request',
  'stream',
  'token',
  'reply',
  'value',
  'quick',
  'steady',
  'careful',
  'bright',
  'quiet',
  'clear',
  'useful',
  'simple',
  'small',
  'large',
  'river',
  'mountain',
  'garden',
  'signal',
  'bridge',
  'window',
  'harbor',
  'lantern',
  'meadow',
  'orbit',
  'builds',
  'returns',
  'checks',
  'carries',
  'follows',
  'measures',
  'writes',
  'reads',
  'keeps',
  'finds',
  'with',
  'for',
  'from',
  'into',
  'over',
  'under',
  'near',
  'after',
  'before',
  'through',
  'data',
  'result',
  'number',
  'record',
  'field',
  'item',
  'list',
  'page',
  'batch',
  'file',
] as const;

/**
 * Generates English-looking text of exactly `tokenCount` pieces (words and full
 * stops, ending on a full stop when there is room), as the list of streamed pieces: the first without leading space, words
 * with one, full stops with none.
 */
export function generatePieces(random: Random, tokenCount: number): string[] {
  const pieces: string[] = [];
  let sentenceLength = 0;
  let sentenceTarget = random.int(5, 12);
  while (pieces.length < tokenCount) {
    if (sentenceLength === sentenceTarget) {
      pieces.push('.');
      sentenceLength = 0;
      sentenceTarget = random.int(5, 12);
      continue;
    }
    let word: string = random.pick(vocabulary);
    if (sentenceLength === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
    pieces.push(pieces.length === 0 ? word : ` ${word}`);
    sentenceLength += 1;
  }
  const last = pieces.length - 1;
  if (last >= 1 && pieces[last] !== '.' && pieces[last - 1] !== '.') pieces[last] = '.';
  return pieces;
}

/** A few words of text, for generated string values. */
export function generateWords(random: Random, count: number): string {
  return Array.from({ length: count }, () => random.pick(vocabulary)).join(' ');
}
