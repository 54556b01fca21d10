// activities/distgit/: Cascade's view of dist-git (rpms/<name> and modules/<name> repositories).
//   dist-git.ts          the DistGit interface, its errors, and input validation run before any git call
//   local-dist-git.ts    LocalDistGit: bare repositories under a root, pushable and servable over dumb HTTP
//   remote-dist-git.ts   RemoteDistGit: a mirror cache of a production dist-git (git clone --mirror / fetch)
//   post-receive-hook.ts the hook LocalDistGit installs; it runs bin/cascade-dist-git-hook
//   push-event.ts        the push event body the hook sends, and its delivery (signed POST or spool)
//   hook-config.ts       hook.json, the body signature (shared with the API) and the spool
// Imported by workers (to build the adapter from config), activities and the API (signature, spool).
// Workflows import types only.
export {
  DistGitError,
  DistGitInputError,
  namespaces,
  parseRepoId,
  validateBranch,
  validateCommit,
  validateDestDir,
  validateFilePath,
  validateRepoId,
} from './dist-git';
export type { BranchHead, CommitInfo, DistGit, DistGitErrorCode, Namespace, RepoId } from './dist-git';
export { LocalDistGit } from './local-dist-git';
export type { LocalDistGitOptions } from './local-dist-git';
export { RemoteDistGit } from './remote-dist-git';
export type { RemoteDistGitOptions } from './remote-dist-git';
export { createGitProgram } from './git-program';
export type { GitProgram, GitProgramOptions, GitResult, GitRunOptions } from './git-program';
export {
  hookConfigPath,
  readHookConfig,
  readHookSecret,
  readSpool,
  removeSpooled,
  signatureHeader,
  signBody,
  spoolDir,
  verifySignature,
  writeHookConfig,
} from './hook-config';
export type { HookConfig, SpooledEvent } from './hook-config';
export { buildPushEventBody, deliverPushEvent, parsePostReceiveInput } from './push-event';
export type { DeliveryOutcome, DistGitPushEvent, DistGitPushUpdate } from './push-event';
