/** `byteToUnit[b]` is `b / 255` as float32: bytes to [0, 1] by table look-up, exactly as a division. */
export const byteToUnit: Float32Array = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/** Bytes (0–255) to float32 in [0, 1]. */
export function bytesToUnit(bytes: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = byteToUnit[bytes[i] as number] as number;
  return out;
}
