// The one place in domain/modulemd that touches the file system: read a file and parse it. Kept apart so
// the rest stays pure and importable from Temporal workflows; workflows must not import this file.
import { readFile } from 'node:fs/promises';
import type { ModuleStreamV2 } from './module-stream';
import type { ParseResult, ScanResult } from './module-index-parser';
import { parseModuleIndex, parsePackagerV3, scanModuleIndex } from './module-index-parser';

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
