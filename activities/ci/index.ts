// activities/ci/: the CI adapter (Taskotron's job for modules) and its results in ResultsDB's shape.
//   module-ci.ts            the ModuleCi interface, CiVerdict, and the verdict's summary line
//   local-module-ci.ts      LocalModuleCi: the embedded CI, runs the checks below on this machine
//   modulemd-check.ts       modulemd.valid        rpm-digest-check.ts   rpm.digests
//   dnf-install-check.ts    dnf.install           module-tests.ts       module.tests.<file>
//   module-dependencies.ts  the module builds a build installs with
//   ci-process.ts           one program run: process group, time limit, capped output
//   ci-activities.ts        createCiActivities: runModuleCi, heartbeating
//   resultsdb-sink.ts       ResultsDbSink: results also written to an external ResultsDB
// Results are stored by store/ci-results.ts and read by api/routes/ci-results.ts. Imported by
// workers (to build LocalModuleCi) and activities/index.ts; workflows import types only.
export { createCiActivities } from './ci-activities';
export { LocalModuleCi, ciRunDir } from './local-module-ci';
export type { LocalModuleCiOptions } from './local-module-ci';
export { ResultsDbSink } from './resultsdb-sink';
export type { CiResultSink, SinkResult } from './resultsdb-sink';
export type { CiOutcome, CiRequest, CiResultOutcome, CiRunOptions, CiVerdict, ModuleCi } from './module-ci';
