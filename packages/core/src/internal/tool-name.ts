import { z } from 'zod';

/** Function, tool and schema names: letters, digits, `_` and `-`, at most 64 characters. */
export const toolNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ or -' });
