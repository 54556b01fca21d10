// `npm run bench -- <name>`: benchmarks that print figures. Speed and memory targets live here,
// never in timed tests. bench/ may import every layer (workflows through clients/ or typed starts);
// nothing imports bench/.
/** Options after the bench names, e.g. `campaign --modules 40000`. */
const options = new Map<string, string>();
/** Options that take no value. */
const FLAGS = new Set(['--statements']);

const benches: Record<string, () => Promise<void>> = {
  /** The dependency index in process, then over HTTP: Fedora-sized, `cascade import index`, and the
   * generated 60,000-stream distribution (bench/deps-distribution.ts); `--streams N` runs only that one. */
  deps: async () => {
    const only = options.get('--streams');
    const streams = Number(only ?? 60_000);
    if (!Number.isInteger(streams) || streams < 1000)
      throw new Error('--streams takes a whole number of at least 1000');
    if (only === undefined) {
      const { runDependencyIndexBench, formatReport } = await import('./deps-index');
      console.log(formatReport(await runDependencyIndexBench({})));
    }
    const { startBenchStack } = await import('./bench-stack');
    const { runDistributionDepsBench, formatDistributionDepsReport } = await import('./deps-distribution');
    const stack = await startBenchStack();
    try {
      if (only === undefined) {
        const { runDepsHttpBench, formatDepsHttpReport } = await import('./deps-http');
        const { runImportIndexBench, formatImportIndexReport } = await import('./import-index');
        console.log(`\n${formatDepsHttpReport(await runDepsHttpBench(await stack.startApi('postgres')))}`);
        console.log(`\n${formatImportIndexReport(await runImportIndexBench(await stack.startApi('import_index')))}`);
      }
      const api = await stack.startApiProcess('distribution');
      console.log(`\n${formatDistributionDepsReport(await runDistributionDepsBench(api, streams))}`);
    } finally {
      await stack.stop();
    }
  },
  /** Only the `cascade import index` part of `deps`. */
  import: async () => {
    const { startBenchStack } = await import('./bench-stack');
    const { runImportIndexBench, formatImportIndexReport } = await import('./import-index');
    const stack = await startBenchStack();
    try {
      console.log(formatImportIndexReport(await runImportIndexBench(await stack.startApi('import_index'))));
    } finally {
      await stack.stop();
    }
  },
  /** A rebuild campaign (1,000 modules, or --modules N; --concurrency N runs only that concurrency; --temporal-store memory|file; --statements lists the store's statements per module) on the real workflows with zero-cost builds (bench/campaign.ts). */
  campaign: async () => {
    const { runCampaignBench } = await import('./campaign');
    const { formatCampaignReport } = await import('./campaign-report');
    const modules = Number(options.get('--modules') ?? 1000);
    if (!Number.isInteger(modules) || modules < 100) throw new Error('--modules takes a whole number of at least 100');
    const only = options.get('--concurrency');
    const concurrency = only === undefined ? undefined : Number(only);
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1))
      throw new Error('--concurrency takes a whole number of at least 1');
    const store = options.get('--temporal-store');
    if (store !== undefined && store !== 'memory' && store !== 'file')
      throw new Error("--temporal-store takes 'memory' or 'file'");
    const statements = options.has('--statements');
    console.log(
      formatCampaignReport(await runCampaignBench({ modules, concurrency, temporalStore: store, statements })),
    );
  },
  /** Four ways to orchestrate a campaign's modules, at zero cost and without a store (bench/workflow-shapes.ts). */
  shapes: async () => {
    const { runWorkflowShapesBench, formatWorkflowShapesReport } = await import('./workflow-shapes');
    const modules = Number(options.get('--modules') ?? 1000);
    const concurrency = Number(options.get('--concurrency') ?? 50);
    if (!Number.isInteger(modules) || modules < 1) throw new Error('--modules takes a whole number of at least 1');
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error('--concurrency takes a whole number of at least 1');
    console.log(formatWorkflowShapesReport(await runWorkflowShapesBench({ modules, concurrency })));
  },
  /** A compose of 300 module builds in two variants, then again with nothing changed (bench/compose.ts). */
  compose: async () => {
    const { runComposeBench } = await import('./compose');
    const { formatComposeReport } = await import('./compose-report');
    console.log(formatComposeReport(await runComposeBench()));
  },
  /** The pipeline overview over HTTP on the deps bench's synthetic distribution (bench/pipeline.ts). */
  pipeline: async () => {
    const { startBenchStack } = await import('./bench-stack');
    const { runPipelineBench, formatPipelineReport } = await import('./pipeline');
    const stack = await startBenchStack();
    try {
      console.log(formatPipelineReport(await runPipelineBench(await stack.startApi('postgres'))));
    } finally {
      await stack.stop();
    }
  },
  store: async () => {
    const { runStoreConcurrencyBench } = await import('./store-concurrency');
    console.log(await runStoreConcurrencyBench());
  },
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    if (FLAGS.has(args[i]!)) options.set(args[i]!, '');
    else if (args[i]!.startsWith('--')) options.set(args[i]!, args[(i += 1)] ?? '');
    else names.push(args[i]!);
  }
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
