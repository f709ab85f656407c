import { commander } from './declare.js';

/**
 * Typed options, checked where they are declared: commander runs the parser as it reads the flag,
 * so a bad value is a usage error (exit 2) naming the flag before any command code runs, and the
 * command receives a number, not a string to check again.
 */

const invalid = (why: string) => new commander.InvalidArgumentError(why);

/** A number (as Number() reads it, so 1e3 is 1000) that `ok` accepts; `why` says what is wanted. */
export function numberWhere(ok: (n: number) => boolean, why: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!value.trim() || !ok(n)) throw invalid(why);
    return n;
  };
}

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  const why = max === Number.MAX_SAFE_INTEGER ? `It must be a whole number of at least ${min}.` : `It must be a whole number from ${min} to ${max}.`;
  return numberWhere((n) => Number.isInteger(n) && n >= min && n <= max, why);
}

/** A TCP port; 0 asks the system for a free one. The one port parser for every command that listens. */
export const port = wholeNumber(0, 65535);

/**
 * An option whose value goes through `parse`. A default is shown in help as it was when the
 * option was a string (3001, not a JSON value), so typing an option leaves its help as it was.
 */
export function typedOption<T>(flags: string, description: string, parse: (value: string) => T, fallback?: T): import('commander').Option {
  const option = new commander.Option(flags, description).argParser(parse);
  return fallback === undefined ? option : option.default(fallback, String(fallback));
}

/**
 * `--to-type`: the receiver type, read into `receiveIdType` (the name it has everywhere in code)
 * rather than commander's `toType`, so the one value keeps one name from flag to wire.
 */
export function receiveIdTypeOption(description: string, values: readonly string[]): import('commander').Option {
  const option = choiceOption('--to-type <type>', description, values);
  option.attributeName = () => 'receiveIdType';
  return option;
}

/** An option that takes one of `values`; help lists them. */
export function choiceOption(flags: string, description: string, values: readonly string[], fallback?: string): import('commander').Option {
  const option = new commander.Option(flags, description).choices(values);
  return fallback === undefined ? option : option.default(fallback);
}
