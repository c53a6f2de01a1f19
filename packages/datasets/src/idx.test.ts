import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ValueError } from '@snn/core';
import { afterAll, describe, expect, it } from 'vitest';
import { IdxFormatError } from './errors.js';
import { decodeIDX, encodeIDX, type IdxArray, isGzip, parseIDX } from './idx.js';
import { readIDX } from './idx-file.js';

/** An IDX file written byte by byte from the format, independent of encodeIDX. */
function idxBytes(magic: number, dims: number[], body: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  out.set(body, 4 + 4 * dims.length);
  return out;
}

// Three 2 × 3 "images" and their labels, as MNIST's files hold them.
const PIXELS = Array.from({ length: 18 }, (_, i) => (i * 17) % 256);
const IMAGES = idxBytes(0x00000803, [3, 2, 3], PIXELS);
const LABELS = idxBytes(0x00000801, [3], [7, 0, 9]);

const dir = mkdtempSync(join(tmpdir(), 'snn-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseIDX', () => {
  it('reads ubyte images (magic 0x00000803): big-endian dims, row-major bytes', () => {
    const a = parseIDX(IMAGES);
    expect(a.dtype).toBe('uint8');
    expect(a.shape).toEqual([3, 2, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data)).toEqual(PIXELS);
  });

  it('reads ubyte labels (magic 0x00000801)', () => {
    const a = parseIDX(LABELS);
    expect(a).toMatchObject({ dtype: 'uint8', shape: [3] });
    expect(Array.from(a.data)).toEqual([7, 0, 9]);
  });

  it('reads dimensions above 2^16 and multi-byte big-endian types', () => {
    expect(parseIDX(idxBytes(0x00000801, [70_000], new Array(70_000).fill(1))).shape).toEqual([70_000]);
    const i16 = parseIDX(idxBytes(0x00000b01, [2], [0xff, 0xfe, 0x01, 0x02]));
    expect(i16.dtype).toBe('int16');
    expect(Array.from(i16.data)).toEqual([-2, 258]);
    const f32 = parseIDX(idxBytes(0x00000d01, [1], [0x3f, 0xc0, 0, 0]));
    expect(Array.from(f32.data)).toEqual([1.5]);
  });

  it('accepts a view into a larger buffer', () => {
    const big = new Uint8Array(LABELS.length + 5);
    big.set(LABELS, 5);
    expect(Array.from(parseIDX(big.subarray(5)).data)).toEqual([7, 0, 9]);
  });

  it('rejects a bad magic number with IdxFormatError naming the source', () => {
    const bad = idxBytes(0x12345678, [3], [1, 2, 3]);
    expect(() => parseIDX(bad, 'x.idx')).toThrow(IdxFormatError);
    expect(() => parseIDX(bad, 'x.idx')).toThrow(/x\.idx: not an IDX file: bad magic number 0x12345678/);
    expect(() => parseIDX(idxBytes(0x00000701, [1], [1]))).toThrow(/bad magic number 0x00000701/);
  });

  it('rejects truncated data, a short header and gzip bytes', () => {
    expect(() => parseIDX(idxBytes(0x00000803, [2, 2, 2], [1, 2, 3]))).toThrow(/needs 8 data bytes, the file has 3/);
    expect(() => parseIDX(Uint8Array.of(0, 0, 8, 3, 0, 0))).toThrow(/3 dimensions but the file has only 6 bytes/);
    expect(() => parseIDX(Uint8Array.of(0, 0))).toThrow(IdxFormatError);
    expect(() => parseIDX(gzipSync(LABELS))).toThrow(/gzip-compressed/);
    expect(() => parseIDX([0, 0, 8, 1] as unknown as Uint8Array)).toThrow(ValueError);
  });
});

describe('encodeIDX', () => {
  it('writes the bytes of the format', () => {
    expect(encodeIDX({ shape: [3, 2, 3], dtype: 'uint8', data: Uint8Array.from(PIXELS) })).toEqual(IMAGES);
    expect(encodeIDX({ shape: [3], dtype: 'uint8', data: Uint8Array.of(7, 0, 9) })).toEqual(LABELS);
  });

  it.each<IdxArray>([
    { shape: [2, 2], dtype: 'int8', data: Int8Array.of(-128, -1, 0, 127) },
    { shape: [3], dtype: 'int16', data: Int16Array.of(-32768, 258, 32767) },
    { shape: [1, 2], dtype: 'int32', data: Int32Array.of(-(2 ** 31), 2 ** 31 - 1) },
    { shape: [2], dtype: 'float32', data: Float32Array.of(-0.5, 3.25) },
    { shape: [2], dtype: 'float64', data: Float64Array.of(Math.PI, -1e300) },
    { shape: [0, 5], dtype: 'uint8', data: new Uint8Array(0) },
  ])('round-trips $dtype $shape through parseIDX', (a) => {
    const back = parseIDX(encodeIDX(a));
    expect(back.dtype).toBe(a.dtype);
    expect(back.shape).toEqual(a.shape);
    expect(back.data).toEqual(a.data);
  });

  it('rejects a data length that does not fit the shape and an unknown dtype', () => {
    expect(() => encodeIDX({ shape: [2, 2], dtype: 'uint8', data: new Uint8Array(3) })).toThrow(
      /'data.length' must be product\(shape\) = 4, got 3/,
    );
    expect(() => encodeIDX({ shape: [1], dtype: 'uint16' as 'uint8', data: new Uint8Array(1) })).toThrow(ValueError);
    expect(() => encodeIDX({ shape: [-1], dtype: 'uint8', data: new Uint8Array(0) })).toThrow(ValueError);
  });
});

describe('readIDX (files)', () => {
  const plainImages = join(dir, 'train-images-idx3-ubyte');
  const gzImages = join(dir, 'train-images-idx3-ubyte.gz');
  const plainLabels = join(dir, 'train-labels-idx1-ubyte');
  const gzLabels = join(dir, 'train-labels-idx1-ubyte.gz');
  writeFileSync(plainImages, IMAGES);
  writeFileSync(gzImages, gzipSync(IMAGES));
  writeFileSync(plainLabels, LABELS);
  writeFileSync(gzLabels, gzipSync(LABELS));

  it('reads *-ubyte and *-ubyte.gz alike', async () => {
    for (const [plain, gz] of [
      [plainImages, gzImages],
      [plainLabels, gzLabels],
    ] as const) {
      const a = await readIDX(plain);
      const b = await readIDX(gz);
      expect(b.shape).toEqual(a.shape);
      expect(Array.from(b.data)).toEqual(Array.from(a.data));
    }
    expect((await readIDX(gzImages)).shape).toEqual([3, 2, 3]);
    expect(Array.from((await readIDX(gzLabels)).data)).toEqual([7, 0, 9]);
  });

  it('names the file when its magic number is bad, plain or gzip', async () => {
    const bad = join(dir, 'bad-idx1-ubyte');
    writeFileSync(bad, idxBytes(0xdeadbeef, [1], [0]));
    writeFileSync(`${bad}.gz`, gzipSync(idxBytes(0xdeadbeef, [1], [0])));
    await expect(readIDX(bad)).rejects.toThrow(IdxFormatError);
    await expect(readIDX(bad)).rejects.toThrow(`${bad}: not an IDX file: bad magic number 0xdeadbeef`);
    await expect(readIDX(`${bad}.gz`)).rejects.toThrow(`${bad}.gz: not an IDX file: bad magic number`);
  });

  it('names the file when its gzip data is corrupt, or when it is missing', async () => {
    const corrupt = join(dir, 'corrupt-idx1-ubyte.gz');
    const gz = gzipSync(LABELS);
    writeFileSync(corrupt, gz.subarray(0, 12));
    await expect(readIDX(corrupt)).rejects.toThrow(/corrupt-idx1-ubyte\.gz: not an IDX file: gzip data could not/);
    await expect(readIDX(join(dir, 'nope'))).rejects.toThrow(/ENOENT.*nope/);
    await expect(readIDX('')).rejects.toThrow(ValueError);
  });
});

describe('decodeIDX', () => {
  it('decodes plain and gzip bytes without Node APIs (DecompressionStream)', async () => {
    expect(isGzip(gzipSync(IMAGES))).toBe(true);
    expect(isGzip(IMAGES)).toBe(false);
    const a = await decodeIDX(new Uint8Array(gzipSync(IMAGES)));
    expect(a.shape).toEqual([3, 2, 3]);
    expect(Array.from(a.data)).toEqual(PIXELS);
    expect(Array.from((await decodeIDX(LABELS)).data)).toEqual([7, 0, 9]);
  });

  it('rejects corrupt gzip data with IdxFormatError', async () => {
    const gz = new Uint8Array(gzipSync(IMAGES));
    await expect(decodeIDX(gz.subarray(0, 15), 'cut.gz')).rejects.toThrow(/cut\.gz: not an IDX file: gzip data/);
  });
});
