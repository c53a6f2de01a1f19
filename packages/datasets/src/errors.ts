import { SnnError } from '@snn/core';

/**
 * A file is not a valid IDX file: wrong magic number, unknown element type, or fewer bytes
 * than its header promises. The message names the file (or `'<bytes>'`) and what was wrong.
 */
export class IdxFormatError extends SnnError {
  override name = 'IdxFormatError';
  constructor(
    /** The file that was read, or `'<bytes>'` for in-memory data. */
    readonly source: string,
    /** What was wrong, e.g. "bad magic number 0x12345678". */
    readonly reason: string,
  ) {
    super(`${source}: not an IDX file: ${reason}`);
  }
}

/**
 * A dataset's files were not found. The message names the dataset, every path that was tried
 * and how to get the files.
 */
export class DatasetNotFoundError extends SnnError {
  override name = 'DatasetNotFoundError';
  constructor(
    /** The dataset, e.g. `'Fashion-MNIST'`. */
    readonly dataset: string,
    /** Every path that was looked at, in order. */
    readonly tried: readonly string[],
    /** How to get the files. */
    readonly hint: string,
  ) {
    super(`${dataset}: files not found; tried ${tried.map((p) => `'${p}'`).join(', ')}. ${hint}`);
  }
}

/** Two parts of a dataset do not fit each other (image and label counts differ, wrong rank). */
export class DatasetFormatError extends SnnError {
  override name = 'DatasetFormatError';
  constructor(
    readonly dataset: string,
    message: string,
  ) {
    super(`${dataset}: ${message}`);
  }
}
