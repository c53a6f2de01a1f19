import { describe, expect, it } from 'vitest';
import { checkBoolean, checkOptions } from './checks.js';
import { closestName, isSnnError, SnnError, StateError, UnknownOptionError, ValueError } from './errors.js';

describe('one error family', () => {
  it('instanceof SnnError holds for any error carrying the brand, without extending the class', () => {
    // what @snn/encoding and @snn/plot do, not depending on core
    class ForeignError extends Error {
      constructor(message: string) {
        super(message);
        Object.defineProperty(this, Symbol.for('@snn/error'), { value: true });
      }
    }
    const foreign = new ForeignError('x');
    expect(foreign instanceof SnnError).toBe(true);
    expect(isSnnError(foreign)).toBe(true);
    expect(new Error('plain') instanceof SnnError).toBe(false);
    expect(isSnnError(new Error('plain'))).toBe(false);
    expect(isSnnError(null)).toBe(false);
  });

  it('subclasses keep ordinary instanceof', () => {
    const v = new ValueError('f', 'a', 'b', 1);
    expect(v instanceof ValueError).toBe(true);
    expect(v instanceof StateError).toBe(false);
    expect(v instanceof SnnError).toBe(true);
    expect(new StateError('f', 'm') instanceof ValueError).toBe(false);
  });
});

describe('checkOptions', () => {
  it('names the unknown option, the closest known one and all known ones', () => {
    expect(() => checkOptions('LIFNode', { tua: 5 }, ['tau', 'vThreshold', 'vReset'])).toThrow(
      "LIFNode: unknown option 'tua' (did you mean 'tau'?); known options: 'tau', 'vThreshold', 'vReset'",
    );
    const err = (() => {
      try {
        checkOptions('Linear', { biass: false }, ['bias', 'seed']);
      } catch (e) {
        return e;
      }
    })() as UnknownOptionError;
    expect(err).toBeInstanceOf(UnknownOptionError);
    expect(err).toBeInstanceOf(ValueError);
    expect(err.option).toBe('biass');
    expect(err.message).toContain("did you mean 'bias'");
  });

  it('gives no hint when nothing is close', () => {
    expect(() => checkOptions('f', { zzzzzz: 1 }, ['tau'])).toThrow("f: unknown option 'zzzzzz'; known options: 'tau'");
  });

  it('accepts undefined and known keys, refuses non-objects', () => {
    expect(checkOptions('f', undefined, ['a'])).toEqual({});
    expect(checkOptions('f', { a: 1 }, ['a'])).toEqual({ a: 1 });
    expect(() => checkOptions('f', null as never, ['a'])).toThrow("f: 'options' must be an options object, got null");
    expect(() => checkOptions('f', 3 as never, ['a'])).toThrow(ValueError);
    expect(() => checkOptions('f', [1] as never, ['a'])).toThrow(ValueError);
  });

  it('closestName handles transpositions and case', () => {
    expect(closestName('tua', ['tau', 'vReset'])).toBe('tau');
    expect(closestName('vthreshold', ['vThreshold'])).toBe('vThreshold');
    expect(closestName('clipnorm', ['clipNorm', 'lr'])).toBe('clipNorm');
    expect(closestName('q', ['vThreshold'])).toBeUndefined();
  });

  it('checkBoolean refuses strings and numbers', () => {
    expect(checkBoolean('f', 'a', true)).toBe(true);
    expect(checkBoolean('f', 'a', undefined)).toBeUndefined();
    expect(() => checkBoolean('f', 'a', 'no')).toThrow("f: 'a' must be a boolean, got 'no'");
    expect(() => checkBoolean('f', 'a', 0)).toThrow(ValueError);
  });
});
