/** Type declarations for the two compression packages that ship none (their whole API as kafkalite uses it). */
declare module 'snappyjs' {
  /** Raw Snappy block: throws when the bytes are not Snappy or would inflate past `maxLength`. */
  export function uncompress(compressed: Buffer, maxLength?: number): Buffer
  export function compress(uncompressed: Buffer): Buffer
}

declare module 'lz4js' {
  /** An LZ4 frame: decompresses into at most `maxSize` bytes (the returned array is trimmed). */
  export function decompress(src: Uint8Array, maxSize: number): Uint8Array
  export function compress(src: Uint8Array): Uint8Array
}
