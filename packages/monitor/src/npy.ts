import { ShapeError, ValueError } from '@snn/core';

/** Typed arrays that `.npy` files can hold, with their NumPy type strings. */
export type NpyArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** An array read from a `.npy` file: the values (row-major), the shape and the NumPy `descr`. */
export interface NpyData {
  readonly data: NpyArray;
  readonly shape: readonly number[];
  readonly descr: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Header alignment of the format (NumPy ≥ 1.? pads to 64 bytes so arrays can be memory-mapped aligned). */
const ALIGN = 64;

const DESCR: readonly [string, new (n: number) => NpyArray][] = [
  ['<f4', Float32Array],
  ['<f8', Float64Array],
  ['<i4', Int32Array],
  ['<u4', Uint32Array],
  ['<i2', Int16Array],
  ['<u2', Uint16Array],
  ['|i1', Int8Array],
  ['|u1', Uint8Array],
];

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function descrOf(data: NpyArray): string {
  for (const [descr, ctor] of DESCR) if (data instanceof ctor) return descr;
  throw new ValueError('encodeNpy', 'data', 'a Float32Array, Float64Array or integer typed array', data);
}

/** The Python literal of a shape tuple: `()`, `(5,)`, `(2, 3)`. */
function shapeTuple(shape: readonly number[]): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/**
 * The header dictionary of a `.npy` v1.0 file, padded with spaces and ended by `\n` so that
 * magic (6) + version (2) + length (2) + header is a multiple of 64 bytes, as NumPy writes it.
 */
export function npyHeader(descr: string, shape: readonly number[]): string {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeTuple(shape)}, }`;
  const unpadded = 10 + dict.length + 1;
  const pad = (ALIGN - (unpadded % ALIGN)) % ALIGN;
  return `${dict}${' '.repeat(pad)}\n`;
}

/**
 * Encodes an array as a NumPy `.npy` file (format version 1.0, little-endian, C order), which
 * `numpy.load` reads directly.
 *
 * Layout: `\x93NUMPY`, version bytes `1 0`, the header length as little-endian uint16, an ASCII
 * header `{'descr': '<f4', 'fortran_order': False, 'shape': (T, B, N), }` padded with spaces to
 * a 64-byte boundary and ended by `\n`, then the raw values.
 *
 * @param data - The values in row-major order; its type picks `descr` (`Float32Array` → `'<f4'`).
 * @param shape - The array's shape; its product must equal `data.length`.
 * @returns The file's bytes.
 * @throws ShapeError when the shape does not match the number of values.
 * @example
 * ```ts
 * fs.writeFileSync('v.npy', encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]));
 * // python: np.load('v.npy').shape == (2, 3)
 * ```
 */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  const descr = descrOf(data);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError('encodeNpy', 'shape', 'non-negative integer sizes', shape);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new ShapeError('encodeNpy', 'shape', `a product equal to data.length (${data.length})`, shape);
  }
  const header = npyHeader(descr, shape);
  if (header.length > 0xffff) throw new ShapeError('encodeNpy', 'shape', 'fewer dimensions (header too long)', shape);
  const offset = 10 + header.length;
  const out = new Uint8Array(offset + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (littleEndian || data.BYTES_PER_ELEMENT === 1) {
    out.set(bytes, offset);
  } else {
    // Big-endian host: reverse the bytes of every element.
    const w = data.BYTES_PER_ELEMENT;
    for (let i = 0; i < data.length; i++) {
      for (let b = 0; b < w; b++) out[offset + i * w + b] = bytes[i * w + (w - 1 - b)] as number;
    }
  }
  return out;
}

/**
 * Decodes a `.npy` file (format versions 1.0, 2.0 and 3.0) holding a little-endian, C-order
 * array of one of the types {@link encodeNpy} writes (also `'|b1'`, read as `Uint8Array`).
 *
 * @param bytes - The whole file.
 * @returns The values (a fresh, aligned typed array), the shape and the `descr`.
 * @throws ValueError when the bytes are not a `.npy` file, or it is Fortran-ordered, big-endian or
 * of a type not listed above.
 * @example
 * ```ts
 * const { data, shape } = decodeNpy(fs.readFileSync('v.npy'));
 * ```
 */
export function decodeNpy(bytes: Uint8Array): NpyData {
  const fn = 'decodeNpy';
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ValueError(fn, 'bytes', "a .npy file (starting with '\\x93NUMPY')", `${bytes.length} bytes`);
  }
  const major = bytes[6] as number;
  let headerLength: number;
  let start: number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    start = 12;
  } else {
    throw new ValueError(fn, 'bytes', 'a .npy file of format version 1, 2 or 3', `version ${major}`);
  }
  let header = '';
  for (let i = start; i < start + headerLength; i++) header += String.fromCharCode(bytes[i] as number);
  const descrMatch = /'descr'\s*:\s*'([^']+)'/.exec(header);
  const fortranMatch = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descrMatch || !fortranMatch || !shapeMatch) {
    throw new ValueError(fn, 'bytes', "a header with 'descr', 'fortran_order' and 'shape'", header.trim());
  }
  if (fortranMatch[1] === 'True') throw new ValueError(fn, 'fortran_order', 'False (C order)', 'True');
  const descr = (descrMatch[1] as string) === '|b1' ? '|u1' : (descrMatch[1] as string);
  const entry = DESCR.find(([d]) => d === descr);
  if (entry === undefined) {
    throw new ValueError(fn, 'descr', `one of ${DESCR.map(([d]) => d).join(', ')}`, descrMatch[1]);
  }
  const shape = (shapeMatch[1] as string)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const size = shape.reduce((a, b) => a * b, 1);
  const ctor = entry[1];
  const data = new ctor(size);
  const offset = start + headerLength;
  const byteLength = size * data.BYTES_PER_ELEMENT;
  if (bytes.length < offset + byteLength) {
    throw new ValueError(fn, 'bytes', `${offset + byteLength} bytes for shape ${shapeTuple(shape)}`, bytes.length);
  }
  const target = new Uint8Array(data.buffer);
  if (littleEndian || data.BYTES_PER_ELEMENT === 1) {
    target.set(bytes.subarray(offset, offset + byteLength));
  } else {
    const w = data.BYTES_PER_ELEMENT;
    for (let i = 0; i < size; i++) {
      for (let b = 0; b < w; b++) target[i * w + b] = bytes[offset + i * w + (w - 1 - b)] as number;
    }
  }
  return { data, shape, descr: descrMatch[1] as string };
}
