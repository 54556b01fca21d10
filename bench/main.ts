// `npm run bench -- <name>`: benchmarks that print figures. Speed and memory targets live here,
// never in timed tests.
const benches: Record<string, () => Promise<void>> = {
  deps: async () => {
    const { runDependencyIndexBench, formatReport } = await import('./deps-index');
    console.log(formatReport(await runDependencyIndexBench({})));
  },
  store: async () => {
    const { runStoreConcurrencyBench } = await import('./store-concurrency');
    console.log(await runStoreConcurrencyBench());
  },
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !benches[n]);
  if (unknown.length > 0 || names.length === 0) {
    console.error(
      `usage: npm run bench -- <${Object.keys(benches).join('|')}> …${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
    );
    process.exit(2);
  }
  for (const name of names) await benches[name]!();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
