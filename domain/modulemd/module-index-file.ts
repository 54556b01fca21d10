// The one place in domain/modulemd that touches the file system: read a file and parse it. Kept apart so
// the rest stays pure and importable from Temporal workflows; workflows must not import this file.
import { readFile } from 'node:fs/promises';
import type { ParseResult } from './module-index-parser';
import { parseModuleIndex, parsePackagerV3 } from './module-index-parser';

export async function readModuleIndexFile(filePath: string): Promise<ParseResult> {
  return parseModuleIndex(await readFile(filePath, 'utf8'), { fileName: filePath });
}

export async function readPackagerV3File(filePath: string): Promise<ParseResult> {
  return parsePackagerV3(await readFile(filePath, 'utf8'), { fileName: filePath });
}
