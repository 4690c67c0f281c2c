// Types for the few symbols we use from `deno-std@1.4.0` (an npm build of the Deno
// standard library that ships no types). Keep each declaration identical to the JSR
// signature, so that switching an import to `jsr:@std/...` is one line in deno.json.

declare module "@std/cli/parse-args" {
  /** Options for {@linkcode parseArgs} (the subset of the JSR type this project uses). */
  export interface ParseOptions {
    boolean?: string[] | boolean;
    string?: string[];
    collect?: string[];
    negatable?: string[];
    alias?: Record<string, string | string[]>;
    default?: Record<string, unknown>;
    stopEarly?: boolean;
    "--"?: boolean;
    unknown?: (arg: string, key?: string, value?: unknown) => unknown;
  }
  /** The parsed arguments: flags by name, positionals in `_`. */
  export interface Args {
    [key: string]: unknown;
    _: Array<string | number>;
    "--"?: string[];
  }
  /** Parses command line arguments into flags and positionals. */
  export function parseArgs(args: string[], options?: ParseOptions): Args;
}

declare module "@std/streams/text-line-stream" {
  /** Options for {@linkcode TextLineStream}. */
  export interface TextLineStreamOptions {
    /** Also split on a lone `\r`. @default {false} */
    allowCR?: boolean;
  }
  /** Splits a stream of strings into lines on `\n` or `\r\n`. */
  export class TextLineStream extends TransformStream<string, string> {
    constructor(options?: TextLineStreamOptions);
  }
}

declare module "@std/assert" {
  export class AssertionError extends Error {
    constructor(message: string);
  }
  export function assert(expr: unknown, msg?: string): asserts expr;
  export function assertFalse(expr: unknown, msg?: string): void;
  export function assertEquals<T>(actual: T, expected: T, msg?: string): void;
  export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void;
  export function assertStrictEquals<T>(
    actual: unknown,
    expected: T,
    msg?: string,
  ): asserts actual is T;
  export function assertExists<T>(actual: T, msg?: string): asserts actual is NonNullable<T>;
  export function assertMatch(actual: string, expected: RegExp, msg?: string): void;
  export function assertNotMatch(actual: string, expected: RegExp, msg?: string): void;
  export function assertStringIncludes(actual: string, expected: string, msg?: string): void;
  export function assertArrayIncludes<T>(
    actual: ArrayLike<T>,
    expected: ArrayLike<T>,
    msg?: string,
  ): void;
  export function assertGreater<T>(actual: T, expected: T, msg?: string): void;
  export function assertGreaterOrEqual<T>(actual: T, expected: T, msg?: string): void;
  export function assertLess<T>(actual: T, expected: T, msg?: string): void;
  export function assertLessOrEqual<T>(actual: T, expected: T, msg?: string): void;
  export function assertInstanceOf<T extends abstract new (...args: never[]) => unknown>(
    actual: unknown,
    expectedType: T,
    msg?: string,
  ): asserts actual is InstanceType<T>;
  export function assertThrows(fn: () => unknown, msg?: string): unknown;
  export function assertThrows<E extends Error = Error>(
    fn: () => unknown,
    ErrorClass: abstract new (...args: never[]) => E,
    msgIncludes?: string,
    msg?: string,
  ): E;
  export function assertRejects(fn: () => PromiseLike<unknown>, msg?: string): Promise<unknown>;
  export function assertRejects<E extends Error = Error>(
    fn: () => PromiseLike<unknown>,
    ErrorClass: abstract new (...args: never[]) => E,
    msgIncludes?: string,
    msg?: string,
  ): Promise<E>;
  export function fail(msg?: string): never;
  export function unreachable(msg?: string): never;
}
