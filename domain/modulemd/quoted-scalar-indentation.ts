// libyaml, and so libmodulemd and the files it wrote (Fedora's module indexes), accepts a multi-line quoted
// scalar whose continuation lines are less indented than the YAML spec asks, e.g. a closing `'` in column 0.
// The `yaml` package rejects those. Indentation inside a quoted scalar does not change its value (line
// folding strips it), so we indent such lines enough and parse again. Lines keep their numbers.

type ScanState =
  { kind: 'plain' } | { kind: 'block'; parentIndent: number } | { kind: 'quoted'; quote: "'" | '"'; minIndent: number };

const QUOTED_VALUE_START = /^(\s*)((?:-\s+)*)((?:[^\s'"#-][^#]*?:\s+)?)(['"])/;
const BLOCK_SCALAR_HEADER = /(?:^|:\s|-\s)\s*[|>][-+0-9]*\s*(?:#.*)?$/;

export function reindentQuotedScalars(source: string): string {
  let state: ScanState = { kind: 'plain' };
  const lines = source.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === '';
    if (state.kind === 'block' && (blank || indent > state.parentIndent)) {
      out.push(line);
      continue;
    }
    if (state.kind === 'quoted') {
      const padded = !blank && indent < state.minIndent ? ' '.repeat(state.minIndent - indent) + line : line;
      out.push(padded);
      if (closingQuoteIndex(line, 0, state.quote) >= 0) state = { kind: 'plain' };
      continue;
    }
    out.push(line);
    state = stateAfterPlainLine(line, indent);
  }
  return out.join('\n');
}

function stateAfterPlainLine(line: string, indent: number): ScanState {
  const match = QUOTED_VALUE_START.exec(line);
  if (match) {
    const quote = match[4] as "'" | '"';
    const opening = match[0].length - 1;
    if (closingQuoteIndex(line, opening + 1, quote) < 0) return { kind: 'quoted', quote, minIndent: indent + 1 };
    return { kind: 'plain' };
  }
  if (BLOCK_SCALAR_HEADER.test(line)) return { kind: 'block', parentIndent: indent };
  return { kind: 'plain' };
}

/** Index of the quote that closes the scalar, skipping '' in single quotes and \" in double quotes. */
function closingQuoteIndex(line: string, from: number, quote: "'" | '"'): number {
  for (let index = from; index < line.length; index += 1) {
    const char = line[index];
    if (quote === '"' && char === '\\') {
      index += 1;
      continue;
    }
    if (char !== quote) continue;
    if (quote === "'" && line[index + 1] === "'") {
      index += 1;
      continue;
    }
    return index;
  }
  return -1;
}
