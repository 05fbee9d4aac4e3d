/**
 * The reason given when an internal AbortController is aborted only to release timers
 * and listeners after a call settled. `abort()` without a reason builds a DOMException
 * with a stack trace on every call; one shared reason costs nothing.
 */
export const settledReason: unique symbol = Symbol('settled');
