import { describe, expect, it, vi } from 'vitest';
import { isLogLevel, levelFromEnv } from './level-from-env.ts';

describe('levelFromEnv', () => {
  it.each(['off', 'error', 'warn', 'info', 'debug'] as const)('reads OPENAI_LOG=%s', (level) => {
    expect(levelFromEnv({ OPENAI_LOG: level })).toBe(level);
  });

  it('ignores case and spaces', () => {
    expect(levelFromEnv({ OPENAI_LOG: ' DEBUG ' })).toBe('debug');
  });

  it('falls back to warn for a missing or unknown value instead of failing', () => {
    expect(levelFromEnv({})).toBe('warn');
    expect(levelFromEnv({ OPENAI_LOG: 'verbose' })).toBe('warn');
    expect(levelFromEnv({ OPENAI_LOG: '' })).toBe('warn');
  });

  it('reads the process environment by default', () => {
    vi.stubEnv('OPENAI_LOG', 'info');
    try {
      expect(levelFromEnv()).toBe('info');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('isLogLevel', () => {
  it('accepts only the five level names', () => {
    expect(isLogLevel('warn')).toBe(true);
    expect(isLogLevel('WARN')).toBe(false);
    expect(isLogLevel(3)).toBe(false);
  });
});
