// Assertions that run in Node and in a browser alike, so the suite needs no assertion library
// and no test runner of its own.
import { isColloquyError } from '@colloquy/core';
import type { ErrorCode } from '@colloquy/core';

export class SuiteAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function ok(condition: unknown, message: string): asserts condition {
  if (!condition) throw new SuiteAssertionError(message);
}

export function equal<T>(actual: T, expected: T, message: string): void {
  if (!Object.is(actual, expected)) {
    throw new SuiteAssertionError(`${message}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function deepEqual(actual: unknown, expected: unknown, message: string): void {
  if (!same(actual, expected)) {
    throw new SuiteAssertionError(`${message}:\n  expected ${show(expected)}\n  got      ${show(actual)}`);
  }
}

/** Awaits `work` and checks it rejected with a ColloquyError of `code`. */
export async function rejectsWith(work: () => Promise<unknown>, code: ErrorCode, message: string): Promise<void> {
  let result: unknown;
  try {
    result = await work();
  } catch (error) {
    if (!isColloquyError(error)) {
      throw new SuiteAssertionError(`${message}: expected ColloquyError ${code}, got ${show(String(error))}`);
    }
    if (error.code !== code) {
      throw new SuiteAssertionError(`${message}: expected code ${code}, got ${error.code} (${error.message})`);
    }
    if (typeof error.message !== 'string' || error.message === '') {
      throw new SuiteAssertionError(`${message}: the ${code} error has no message for people`);
    }
    return;
  }
  throw new SuiteAssertionError(`${message}: expected rejection ${code}, resolved with ${show(result)}`);
}

/** Awaits `work` and checks it rejected with a ColloquyError of one of `codes`, where adapters may differ. */
export async function rejectsWithOneOf(work: () => Promise<unknown>, codes: readonly ErrorCode[], message: string): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (isColloquyError(error) && codes.includes(error.code)) return;
    throw new SuiteAssertionError(`${message}: expected ColloquyError ${codes.join(' or ')}, got ${show(String(error))}`);
  }
  throw new SuiteAssertionError(`${message}: expected rejection ${codes.join(' or ')}, but it resolved`);
}

/** Polls until `condition` holds, for events that arrive asynchronously. */
export async function eventually(condition: () => boolean, message: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new SuiteAssertionError(`${message} (waited ${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
