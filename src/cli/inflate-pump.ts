import type { FileHandle } from 'node:fs/promises';
import type { Gunzip } from 'node:zlib';

/**
 * Hands a file's bytes to zlib in pieces of `input.length` bytes, reading the next piece while zlib's
 * thread inflates this one: two input buffers in turn (`input` and one more of its size), each
 * refilled only once zlib's write callback says it has taken it. Returns when the file is all
 * written (the caller ends the stream), `more()` says stop, or `stopped` settles: corrupt data ends
 * the stream with an error, and a write's callback may then never come. The first `prefilled` bytes
 * of the file may be in `input` already (a header's peek): zlib starts on them at once.
 */
export async function pumpFile(
  fh: FileHandle,
  gunzip: Gunzip,
  input: Buffer,
  stopped: Promise<unknown>,
  more: () => boolean,
  prefilled = 0,
): Promise<void> {
  const size = input.length;
  const inputs = [input, Buffer.allocUnsafe(size)] as const;
  let next = prefilled > 0 ? Promise.resolve({ bytesRead: prefilled }) : fh.read(inputs[0], 0, size, 0);
  try {
    for (let pos = 0, b = 0; more(); b ^= 1) {
      const { bytesRead } = await next;
      if (bytesRead === 0) break;
      pos += bytesRead;
      next = fh.read(inputs[b ^ 1]!, 0, size, pos);
      await Promise.race([
        new Promise<void>((resolve) => gunzip.write(inputs[b]!.subarray(0, bytesRead), () => resolve())),
        stopped,
      ]);
    }
  } finally {
    // The caller closes the file after this returns: no read may still be under way.
    await next.catch(() => undefined);
  }
}
