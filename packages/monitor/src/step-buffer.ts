/**
 * Rows of `stepSize` float32 values, one per recorded step, in one preallocated typed array.
 *
 * Unbounded (`capacity` null): the array doubles when full, so appending is amortised O(stepSize).
 * Bounded: a ring of `capacity` rows allocated once; the oldest row is overwritten.
 */
export class StepBuffer {
  private data: Float32Array;
  private stepIndex: Float64Array;
  private start = 0;
  private rows = 0;
  private allocated: number;

  constructor(
    readonly stepSize: number,
    /** Most rows kept (a ring), or null for all of them. */
    readonly capacity: number | null,
    initialRows: number,
  ) {
    this.allocated = capacity ?? Math.max(1, initialRows);
    this.data = new Float32Array(this.allocated * stepSize);
    this.stepIndex = new Float64Array(this.allocated);
  }

  /** Number of rows held. */
  get length(): number {
    return this.rows;
  }

  /** Bytes held by the arrays (allocated, not only used). */
  get byteLength(): number {
    return this.data.byteLength + this.stepIndex.byteLength;
  }

  /** Appends one row copied from `src[offset .. offset + stepSize)`, recorded at global step `step`. */
  push(src: ArrayLike<number>, offset: number, step: number): void {
    let slot: number;
    if (this.rows < this.allocated) {
      slot = (this.start + this.rows) % this.allocated;
      this.rows++;
    } else if (this.capacity === null) {
      this.grow();
      slot = this.rows;
      this.rows++;
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.allocated;
    }
    const n = this.stepSize;
    const base = slot * n;
    if (ArrayBuffer.isView(src)) {
      this.data.set((src as unknown as Float32Array).subarray(offset, offset + n), base);
    } else {
      for (let i = 0; i < n; i++) this.data[base + i] = src[offset + i] as number;
    }
    this.stepIndex[slot] = step;
  }

  /** The rows oldest first, as fresh arrays: values `[rows · stepSize]` and their global step indices. */
  snapshot(): { data: Float32Array; steps: Float64Array } {
    const n = this.stepSize;
    const data = new Float32Array(this.rows * n);
    const steps = new Float64Array(this.rows);
    const first = Math.min(this.rows, this.allocated - this.start);
    data.set(this.data.subarray(this.start * n, (this.start + first) * n), 0);
    steps.set(this.stepIndex.subarray(this.start, this.start + first), 0);
    if (first < this.rows) {
      data.set(this.data.subarray(0, (this.rows - first) * n), first * n);
      steps.set(this.stepIndex.subarray(0, this.rows - first), first);
    }
    return { data, steps };
  }

  private grow(): void {
    const next = this.allocated * 2;
    const data = new Float32Array(next * this.stepSize);
    data.set(this.data);
    const steps = new Float64Array(next);
    steps.set(this.stepIndex);
    this.data = data;
    this.stepIndex = steps;
    this.allocated = next;
  }
}
