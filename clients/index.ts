// clients/: the one place Cascade starts, signals, updates and queries its workflows from outside
// Temporal — one client per workflow family, beside that family's contracts in workflows/<family>/.
// Each owns its workflows' ids (through domain/workflow-ids.ts), typed starts (`start<typeof wf>`
// with a type-only import of the workflow function, so the compiler checks the arguments), and the
// rule that "already started" counts as success. Imported by the API, the workers, activities that
// trigger workflows (the push trigger) and benchmarks; never by workflows, domain/ or store/.
export * from './campaign-client';
export * from './dist-git-push-client';
export * from './module-build-client';
