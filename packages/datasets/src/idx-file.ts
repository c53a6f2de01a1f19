import { ValueError } from '@snn/core';
import { IdxFormatError } from './errors.js';
import { type IdxArray, isGzip, parseIDX } from './idx.js';
import { nodeModule } from './node.js';

/**
 * Reads an IDX file from a path, `*-ubyte` or gzip-compressed `*-ubyte.gz` (recognised by its
 * content, not its name), and decodes it with {@link parseIDX}. Node only (`node:fs`,
 * `node:zlib`, imported when called); in a browser use {@link decodeIDX} on fetched bytes.
 *
 * @param path - The file.
 * @throws IdxFormatError (naming the path) when the file is not IDX or its gzip data is corrupt.
 * @throws Node's own error (`ENOENT`, naming the path) when the file cannot be read.
 * @example
 * ```ts
 * const images = await readIDX('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz');
 * images.shape;   // [10000, 28, 28], images.data: Uint8Array
 * ```
 */
export async function readIDX(path: string): Promise<IdxArray> {
  if (typeof path !== 'string' || path === '') throw new ValueError('readIDX', 'path', 'a file path', path);
  const { readFile } = await nodeModule('node:fs/promises');
  const raw = await readFile(path);
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  return parseIDX(isGzip(bytes) ? await gunzip(bytes, path) : bytes, path);
}

/** Decompresses on libuv's thread pool, so that several files decompress at once. */
async function gunzip(bytes: Uint8Array, path: string): Promise<Uint8Array> {
  const zlib = await nodeModule('node:zlib');
  return new Promise((resolve, reject) => {
    zlib.gunzip(bytes, (err, out) => {
      if (err) reject(new IdxFormatError(path, `gzip data could not be decompressed (${err.message})`));
      else resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    });
  });
}
