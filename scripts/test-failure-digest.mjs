// A node:test reporter beside `spec`: each failing test's name, place and the first lines of its
// error, and the counts, written as JSON for scripts/run-tests.ts to print last — CI shows only the
// end of a run's output, where spec's own failure list is cut to its last test's stack.
const MAX_LINES = 14;

export default async function* failureDigest(source) {
  const failures = [];
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.details?.type === 'suite') continue;
    if (event.type === 'test:pass') {
      if (!data.skip && !data.todo) passed += 1;
      continue;
    }
    failed += 1;
    const error = data.details?.error;
    const cause = error?.cause ?? error;
    const text = String(cause?.message ?? cause ?? 'no error')
      .split('\n')
      .slice(0, MAX_LINES)
      .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line));
    failures.push({ name: data.name, file: data.file ?? '', line: data.line ?? 0, error: text });
  }
  yield JSON.stringify({ passed, failed, failures });
}
