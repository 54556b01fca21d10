// The real Fedora 29 module index (48 MBS-built streams) from ../shared/fixtures, parsed once for these tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModuleStreamV2 } from '../../../domain/modulemd';
import { parseModuleIndex } from '../../../domain/modulemd';

const FEDORA29_INDEX = path.resolve(__dirname, '../../../../shared/fixtures/modulemd/valid/fedora29-index.yaml');

export function loadFedora29Streams(): ModuleStreamV2[] {
  const parsed = parseModuleIndex(readFileSync(FEDORA29_INDEX, 'utf8'));
  if (!parsed.ok) throw new Error(`the Fedora 29 index fixture does not parse: ${parsed.errors[0]?.message}`);
  return parsed.streams;
}

export function nsvcOf(stream: ModuleStreamV2): string {
  return `${stream.name}:${stream.stream}:${stream.version}:${stream.context}`;
}
