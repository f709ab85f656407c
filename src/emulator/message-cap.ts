/**
 * How many messages the emulator keeps (`--max-messages`, `settings.maxMessages`): the default
 * and the one rule, here only, so the command line and the library agree. This module imports
 * nothing, so the command's declaration can show the default in its help.
 */

/** Enough for a long test run; the oldest go first past it. */
export const DEFAULT_MAX_MESSAGES = 10_000;

/** Whether a cap is one the store can keep: a whole number of at least 1. */
export const isMessageCap = (n: number): boolean => Number.isInteger(n) && n >= 1;
