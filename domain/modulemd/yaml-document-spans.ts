// Cuts a YAML stream into its documents without parsing it: a document starts at a `---` line and ends
// after a `...` line (markers in column 0, as YAML requires wherever they appear), so each span can be
// read on its own and a bad one located without reading the others.

export interface YamlDocumentSpan {
  start: number;
  end: number;
  /** 1-based line of `start` in the whole text. */
  startLine: number;
  /** No character that only the `yaml` package reads right (tabs, carriage returns, control characters). */
  plain: boolean;
}

// Tabs, CR, C0/C1 controls, DEL, byte-order marks, non-characters and Unicode line separators.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNUSUAL_CHARACTER = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;

/** The documents' spans, or undefined when the stream has directives (`%YAML`) or a byte-order mark. */
export function splitYamlDocuments(text: string): YamlDocumentSpan[] | undefined {
  if (text.startsWith('%') || text.includes('\n%') || text.startsWith('\ufeff')) return undefined;
  const cuts = markerCuts(text);
  const unusual: number[] = [];
  for (const match of text.matchAll(UNUSUAL_CHARACTER)) unusual.push(match.index);
  const spans: YamlDocumentSpan[] = [];
  let line = 1;
  let counted = 0;
  let nextUnusual = 0;
  let start = 0;
  for (const end of [...cuts, text.length]) {
    if (end <= start) continue;
    for (let i = text.indexOf('\n', counted); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) line += 1;
    counted = start;
    while (nextUnusual < unusual.length && unusual[nextUnusual]! < start) nextUnusual += 1;
    const plain = nextUnusual >= unusual.length || unusual[nextUnusual]! >= end;
    spans.push({ start, end, startLine: line, plain });
    start = end;
  }
  return spans;
}

/** Offsets where a document ends: before each `---` line and after each `...` line. */
function markerCuts(text: string): number[] {
  const cuts: number[] = [];
  const isMarkerAt = (at: number) => {
    const after = text[at + 3];
    return after === undefined || after === ' ' || after === '\t' || after === '\n' || after === '\r';
  };
  for (const marker of ['---', '...']) {
    if (text.startsWith(marker) && isMarkerAt(0)) cuts.push(marker === '---' ? 0 : lineAfter(text, 0));
    for (let i = text.indexOf(`\n${marker}`); i >= 0; i = text.indexOf(`\n${marker}`, i + 1)) {
      if (isMarkerAt(i + 1)) cuts.push(marker === '---' ? i + 1 : lineAfter(text, i + 1));
    }
  }
  return cuts.sort((a, b) => a - b);
}

function lineAfter(text: string, at: number): number {
  const newline = text.indexOf('\n', at);
  return newline < 0 ? text.length : newline + 1;
}
