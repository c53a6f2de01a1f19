import { ValueError } from '@snn/core';
import { IdxFormatError } from './errors.js';

/**
 * IDX, the file format of MNIST and Fashion-MNIST: a 4-byte magic number `0x0000TTDD` (`TT` the
 * element type, `DD` the number of dimensions), then each dimension as a big-endian uint32,
 * then the elements, row-major and big-endian. Images of MNIST are `0x00000803`
 * (uint8, `[N, 28, 28]`); labels are `0x00000801` (uint8, `[N]`).
 */

/** Element types of IDX files. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array that holds each {@link IdxDType}. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX file: its shape and its elements, row-major. */
export interface IdxArray {
  /** Dimensions, e.g. `[60000, 28, 28]`. */
  readonly shape: readonly number[];
  /** Element type named in the file's magic number. */
  readonly dtype: IdxDType;
  /** `product(shape)` elements, row-major, in the typed array of `dtype`. */
  readonly data: IdxData;
}

interface TypeInfo {
  readonly code: number;
  readonly dtype: IdxDType;
  readonly bytes: number;
}

const TYPES: readonly TypeInfo[] = [
  { code: 0x08, dtype: 'uint8', bytes: 1 },
  { code: 0x09, dtype: 'int8', bytes: 1 },
  { code: 0x0b, dtype: 'int16', bytes: 2 },
  { code: 0x0c, dtype: 'int32', bytes: 4 },
  { code: 0x0d, dtype: 'float32', bytes: 4 },
  { code: 0x0e, dtype: 'float64', bytes: 8 },
];

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** True when `bytes` starts with gzip's magic number (0x1f 0x8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decodes an uncompressed IDX file held in memory. Works everywhere (no Node APIs).
 * For uint8 and int8 files `data` is a view of `bytes` (no copy); other types are copied,
 * converting from big-endian.
 *
 * @param bytes - The whole file.
 * @param source - A name for error messages (a path), default `'<bytes>'`.
 * @throws IdxFormatError for gzip data (decompress first: {@link decodeIDX} or `readIDX`), a bad
 *   magic number, an unknown element type, or fewer bytes than the header promises.
 * @example
 * ```ts
 * const labels = parseIDX(bytes);   // { shape: [10000], dtype: 'uint8', data: Uint8Array }
 * ```
 */
export function parseIDX(bytes: Uint8Array, source = '<bytes>'): IdxArray {
  if (!(bytes instanceof Uint8Array)) throw new ValueError('parseIDX', 'bytes', 'a Uint8Array', bytes);
  if (isGzip(bytes)) throw new IdxFormatError(source, 'the data is gzip-compressed; decompress it first');
  if (bytes.length < 4) throw new IdxFormatError(source, `only ${bytes.length} bytes, fewer than a header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = TYPES.find((t) => t.code === bytes[2]);
  const rank = bytes[3] as number;
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined) {
    throw new IdxFormatError(
      source,
      `bad magic number ${hex(magic)} (expected 0x0000TTDD with type TT one of 08, 09, 0b, 0c, 0d, 0e; ` +
        'MNIST images are 0x00000803, labels 0x00000801)',
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(source, `header promises ${rank} dimensions but the file has only ${bytes.length} bytes`);
  }
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const dataBytes = count * type.bytes;
  if (bytes.length - headerBytes < dataBytes) {
    throw new IdxFormatError(
      source,
      `shape [${shape.join(', ')}] of ${type.dtype} needs ${dataBytes} data bytes, the file has ${bytes.length - headerBytes}`,
    );
  }
  return { shape, dtype: type.dtype, data: readElements(bytes, view, headerBytes, count, type) };
}

function readElements(bytes: Uint8Array, view: DataView, offset: number, count: number, type: TypeInfo): IdxData {
  switch (type.dtype) {
    case 'uint8':
      return bytes.subarray(offset, offset + count);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/**
 * Decodes an IDX file held in memory, gzip-compressed or not. Decompresses with the standard
 * `DecompressionStream` (browsers, Node 18+), so it works wherever that exists; in Node
 * `readIDX` (from a path) is faster.
 * @throws IdxFormatError as {@link parseIDX}, or when gzip data cannot be decompressed.
 * @example
 * ```ts
 * const res = await fetch('/data/t10k-labels-idx1-ubyte.gz');
 * const labels = await decodeIDX(new Uint8Array(await res.arrayBuffer()));
 * ```
 */
export async function decodeIDX(bytes: Uint8Array, source = '<bytes>'): Promise<IdxArray> {
  if (!(bytes instanceof Uint8Array)) throw new ValueError('decodeIDX', 'bytes', 'a Uint8Array', bytes);
  if (!isGzip(bytes)) return parseIDX(bytes, source);
  if (typeof DecompressionStream === 'undefined') {
    throw new IdxFormatError(source, 'the data is gzip-compressed and this environment has no DecompressionStream');
  }
  let plain: Uint8Array;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    plain = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new IdxFormatError(source, `gzip data could not be decompressed (${(e as Error).message})`);
  }
  return parseIDX(plain, source);
}

/**
 * Encodes an array as an uncompressed IDX file (the inverse of {@link parseIDX}): write it with
 * `fs.writeFileSync`, or gzip it first for a `.gz` file.
 * Values are stored as `dtype` (as `DataView` does: wrapped for integers, rounded for float32).
 * @throws ValueError for an unknown `dtype`, `shape` with more than 255 dimensions or one that is
 *   not a uint32, or `data.length` that is not `product(shape)`.
 * @example
 * ```ts
 * const bytes = encodeIDX({ shape: [2], dtype: 'uint8', data: Uint8Array.of(3, 7) });
 * // 00 00 08 01 | 00 00 00 02 | 03 07
 * ```
 */
export function encodeIDX(array: IdxArray): Uint8Array {
  const { shape, dtype, data } = array;
  const type = TYPES.find((t) => t.dtype === dtype);
  if (type === undefined) {
    throw new ValueError('encodeIDX', 'dtype', `one of ${TYPES.map((t) => `'${t.dtype}'`).join(', ')}`, dtype);
  }
  if (
    !Array.isArray(shape) ||
    shape.length > 255 ||
    shape.some((d) => !(Number.isInteger(d) && d >= 0 && d < 2 ** 32))
  ) {
    throw new ValueError('encodeIDX', 'shape', 'at most 255 dimensions, each an integer in [0, 2^32)', shape);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new ValueError('encodeIDX', 'data.length', `product(shape) = ${count}`, data.length);
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + count * type.bytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, (type.code << 8) | shape.length, false);
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  for (let i = 0; i < count; i++) {
    const v = data[i] as number;
    const at = header + i * type.bytes;
    switch (dtype) {
      case 'uint8':
        view.setUint8(at, v);
        break;
      case 'int8':
        view.setInt8(at, v);
        break;
      case 'int16':
        view.setInt16(at, v, false);
        break;
      case 'int32':
        view.setInt32(at, v, false);
        break;
      case 'float32':
        view.setFloat32(at, v, false);
        break;
      case 'float64':
        view.setFloat64(at, v, false);
        break;
    }
  }
  return out;
}
