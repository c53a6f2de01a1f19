import { readFileSync } from 'node:fs';
import { ShapeError, ValueError } from '@snn/core';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, npyHeader } from './npy.js';

const golden = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../test/golden/${name}`, import.meta.url)));

const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

describe('encodeNpy', () => {
  it('writes the v1.0 preamble and header exactly as the format specifies', () => {
    const bytes = encodeNpy(new Float32Array([0, 0.1, 0.2, 0.3, 0.4, 0.5]), [2, 3]);
    // magic string
    expect([...bytes.subarray(0, 6)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
    // major, minor version
    expect([bytes[6], bytes[7]]).toEqual([1, 0]);
    // HEADER_LEN, little-endian uint16
    const headerLength = (bytes[8] as number) | ((bytes[9] as number) << 8);
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    expect(headerLength).toBe(118);
    expect((10 + headerLength) % 64).toBe(0);
    const header = ascii(bytes.subarray(10, 10 + headerLength));
    expect(header).toBe(`${dict}${' '.repeat(headerLength - dict.length - 1)}\n`);
    // data: little-endian float32, C order
    expect(bytes.length).toBe(128 + 6 * 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset + 128);
    expect([0, 1, 2, 3, 4, 5].map((i) => view.getFloat32(i * 4, true))).toEqual([
      ...new Float32Array([0, 0.1, 0.2, 0.3, 0.4, 0.5]),
    ]);
  });

  it.each([
    ['f4_2x3.npy', Float32Array.from([0, 1, 2, 3, 4, 5], (x) => Math.fround(x / 10)), [2, 3]],
    ['f8_5.npy', new Float64Array([0.5, -1.25, 3.0, 1e-300, Number.POSITIVE_INFINITY]), [5]],
    ['f4_spikes_4x2x3.npy', Float32Array.from({ length: 24 }, (_, i) => +(i % 3 === 0)), [4, 2, 3]],
    ['i4_scalar.npy', new Int32Array([7]), []],
    ['u1_empty_0x4.npy', new Uint8Array(0), [0, 4]],
  ] as const)('gives the same bytes as numpy.save: %s', (file, data, shape) => {
    expect(encodeNpy(data, shape)).toEqual(golden(file));
  });

  it('formats shape tuples as Python does', () => {
    expect(npyHeader('<f4', [])).toContain("'shape': (), }");
    expect(npyHeader('<f4', [7])).toContain("'shape': (7,), }");
    expect(npyHeader('<f8', [1, 2, 3])).toContain("'shape': (1, 2, 3), }");
    for (const shape of [[], [1], [10, 1000, 784], [1, 2, 3, 4, 5, 6, 7, 8]]) {
      const h = npyHeader('<f4', shape);
      expect((10 + h.length) % 64).toBe(0);
      expect(h.endsWith('\n')).toBe(true);
    }
  });

  it('rejects a shape that does not hold the data, or a non-integer size', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(ShapeError);
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/encodeNpy: 'shape' must have a product equal/);
    expect(() => encodeNpy(new Float32Array(3), [1.5, 2])).toThrow(ShapeError);
    expect(() => encodeNpy([1, 2] as unknown as Float32Array, [2])).toThrow(ValueError);
  });
});

describe('decodeNpy', () => {
  it('reads files written by numpy', () => {
    const a = decodeNpy(golden('f4_2x3.npy'));
    expect(a.descr).toBe('<f4');
    expect(a.shape).toEqual([2, 3]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect([...a.data]).toEqual([...Float32Array.from([0, 1, 2, 3, 4, 5], (x) => x / 10)]);
    const s = decodeNpy(golden('i4_scalar.npy'));
    expect(s.shape).toEqual([]);
    expect([...s.data]).toEqual([7]);
    const e = decodeNpy(golden('u1_empty_0x4.npy'));
    expect(e.shape).toEqual([0, 4]);
    expect(e.data.length).toBe(0);
  });

  it('round-trips every supported type', () => {
    const arrays = [
      new Float32Array([1.5, -2, Number.NaN, 3e38]),
      new Float64Array([Math.PI, -0, 1e-320, Number.NEGATIVE_INFINITY]),
      new Int32Array([-(2 ** 31), 0, 2 ** 31 - 1, 5]),
      new Uint32Array([0, 2 ** 32 - 1, 1, 2]),
      new Int16Array([-32768, 32767, 0, 1]),
      new Uint16Array([65535, 0, 1, 2]),
      new Int8Array([-128, 127, 0, 1]),
      new Uint8Array([255, 0, 1, 2]),
    ];
    for (const data of arrays) {
      const back = decodeNpy(encodeNpy(data, [2, 2]));
      expect(back.shape).toEqual([2, 2]);
      expect(back.data.constructor).toBe(data.constructor);
      expect(new Uint8Array(back.data.buffer)).toEqual(new Uint8Array(data.buffer));
    }
  });

  it('reads a version 2.0 header (4-byte length) and a subarray view of a larger buffer', () => {
    const dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }";
    const header = `${dict}${' '.repeat(64 - ((12 + dict.length + 1) % 64))}\n`;
    const bytes = new Uint8Array(8 + 12 + header.length + 12);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0], 8);
    new DataView(bytes.buffer).setUint32(16, header.length, true);
    for (let i = 0; i < header.length; i++) bytes[20 + i] = header.charCodeAt(i);
    const dv = new DataView(bytes.buffer, 20 + header.length);
    [4, -5, 6].forEach((v, i) => {
      dv.setInt32(i * 4, v, true);
    });
    const a = decodeNpy(bytes.subarray(8));
    expect(a.shape).toEqual([3]);
    expect([...a.data]).toEqual([4, -5, 6]);
  });

  it('names what is wrong with a file it cannot read', () => {
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]))).toThrow(/decodeNpy: 'bytes' must be a .npy file/);
    const fortran = encodeNpy(new Float32Array(4), [2, 2]);
    const text = ascii(fortran.subarray(10, 128)).replace('False', 'True ');
    for (let i = 0; i < text.length; i++) fortran[10 + i] = text.charCodeAt(i);
    expect(() => decodeNpy(fortran)).toThrow(/'fortran_order' must be False/);
    const bigEndian = encodeNpy(new Float32Array(4), [2, 2]);
    bigEndian[21] = '>'.charCodeAt(0); // "{'descr': '<f4'" → '>f4'
    expect(ascii(bigEndian.subarray(10, 30))).toContain("'>f4'");
    expect(() => decodeNpy(bigEndian)).toThrow(/'descr' must be one of <f4/);
    const truncated = encodeNpy(new Float32Array(4), [2, 2]).subarray(0, 130);
    expect(() => decodeNpy(truncated)).toThrow(ValueError);
  });
});
