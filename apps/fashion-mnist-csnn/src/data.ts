import { SnnError } from '@snn/core';
import {
  DatasetNotFoundError,
  type ImageLayout,
  loadFashionMNIST,
  MNIST_FILE_NAMES,
  type TrainTest,
} from '@snn/datasets';

/**
 * Fashion-MNIST for the CLI: from `dataDir` when given (the `--data-dir` flag), else from where
 * Debian's package puts it. When the files are not there, the error speaks the CLI's language
 * (the flag and the Debian package) instead of the library's (`{ dir }`).
 *
 * @throws SnnError naming every path tried, `apt-get install dataset-fashion-mnist` and `--data-dir DIR`.
 */
export async function loadFashionMNISTForCli(dataDir: string | undefined, layout: ImageLayout): Promise<TrainTest> {
  try {
    return await loadFashionMNIST({ layout, ...(dataDir === undefined ? {} : { dir: dataDir }) });
  } catch (e) {
    if (!(e instanceof DatasetNotFoundError)) throw e;
    const tried = e.tried.map((p) => `'${p}'`).join(', ');
    throw new SnnError(
      `Fashion-MNIST not found (tried ${tried}). Install Debian's package dataset-fashion-mnist ` +
        '(apt-get install dataset-fashion-mnist), or run with --data-dir DIR naming a folder with the four ' +
        `IDX files: ${Object.values(MNIST_FILE_NAMES).join(', ')} (each may end in .gz).`,
    );
  }
}
