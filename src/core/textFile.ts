import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * A text file's characters whatever a Windows editor saved it as: UTF-8 with or without its byte-order mark
 * (Notepad), or UTF-16 with one (Windows PowerShell's `>` and `Out-File`). Without the mark, UTF-8.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('utf8');
}

/** A UTF-8 text without a leading byte-order mark (text that came through a pipe or an editor's buffer). */
export const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** readFileSync(file, 'utf8'), but see decodeText. */
export function readTextFileSync(file: string): string {
  return decodeText(readFileSync(file));
}

/** readTextFileSync without blocking the thread (the editor reads on the extension host's). */
export async function readTextFile(file: string): Promise<string> {
  return decodeText(await readFile(file));
}
