// Module index files read from disk and parsed by domain/modulemd, for the CLI's offline commands.
// Here, not in domain/, because domain/ does no I/O (lint enforces it).
import { readFile } from 'node:fs/promises';
import {
  parseModuleIndex,
  parsePackagerV3,
  scanModuleIndex,
  type ModuleStreamV2,
  type ParseResult,
  type ScanResult,
} from '../domain/modulemd';

export async function readModuleIndexFile(filePath: string): Promise<ParseResult> {
  return parseModuleIndex(await readFile(filePath, 'utf8'), { fileName: filePath });
}

/** See scanModuleIndex: streams are handed over as they are read, the verdict comes at the end. */
export async function scanModuleIndexFile(
  filePath: string,
  onStream: (stream: ModuleStreamV2) => void,
): Promise<ScanResult> {
  return scanModuleIndex(await readFile(filePath, 'utf8'), onStream, { fileName: filePath });
}

export async function readPackagerV3File(filePath: string): Promise<ParseResult> {
  return parsePackagerV3(await readFile(filePath, 'utf8'), { fileName: filePath });
}
