/**
 * A 170-byte ONNX graph (opset 17) that runtime.ts runs to prove an execution provider really works:
 * y = Relu(x · W) with x [1, 4] and W [4, 4], W[i][j] = 4i + j − 8 stored as an initialiser.
 * Regenerate with scripts/make_smoke_onnx.py (prints this base64).
 */
export const SMOKE_MODEL_BASE64 =
  'CAg6nwEKEQoBeAoBdxIBaCIGTWF0TXVsCgwKAWgSAXkiBFJlbHUSBXNtb2tlKksIBAgEEAEiQAAAAMEAAODAAADAwAAAoMAAAIDAAABAwAAAAMAAAIC/AAAAAAAAgD8AAABAAABAQAAAgEAAAKBAAADAQAAA4EBCAXdaEwoBeBIOCgwIARIICgIIAQoCCARiEwoBeRIOCgwIARIICgIIAQoCCARCBAoAEBE=';

/** Mixed signs, so that Relu both clips and passes values: y = [0, 0.25, 1.5, 2.75]. */
export function smokeInput(): Float32Array {
  return Float32Array.from([0.5, -1, 2, -0.25]);
}

/** What the smoke graph must compute, from its definition rather than from a recorded run. */
export function smokeExpected(x: Float32Array): Float32Array {
  const y = new Float32Array(4);
  for (let j = 0; j < 4; j++) {
    let sum = 0;
    for (let i = 0; i < 4; i++) sum += x[i]! * (4 * i + j - 8);
    y[j] = Math.max(0, sum);
  }
  return y;
}
