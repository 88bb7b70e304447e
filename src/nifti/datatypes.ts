/** NIfTI datatype codes we turn into float32 maps, with their byte sizes. */
export interface DatatypeInfo {
  readonly code: number;
  readonly name: string;
  readonly bytes: number;
}

const SCALAR: readonly DatatypeInfo[] = [
  { code: 2, name: 'uint8', bytes: 1 },
  { code: 4, name: 'int16', bytes: 2 },
  { code: 8, name: 'int32', bytes: 4 },
  { code: 16, name: 'float32', bytes: 4 },
  { code: 64, name: 'float64', bytes: 8 },
  { code: 256, name: 'int8', bytes: 1 },
  { code: 512, name: 'uint16', bytes: 2 },
  { code: 768, name: 'uint32', bytes: 4 },
  { code: 1024, name: 'int64', bytes: 8 },
  { code: 1280, name: 'uint64', bytes: 8 },
];

/** Names of codes we recognise but refuse, so the error says what the file holds. */
const NON_SCALAR: Readonly<Record<number, string>> = {
  1: 'binary (1 bit)',
  32: 'complex64',
  128: 'RGB24',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

export function scalarDatatype(code: number): DatatypeInfo | undefined {
  return SCALAR.find((d) => d.code === code);
}

export function describeDatatype(code: number): string {
  return scalarDatatype(code)?.name ?? NON_SCALAR[code] ?? `unknown code ${code}`;
}
