// domain/pipeline: the pipeline overview's pure parts — what a piece of free text names (component,
// name:stream, NSVC, NVR, compose id, commit), the overview's answer shape, its one-sentence verdict
// and relative times computed from a given `now`. No I/O: the store, the API and the CLI may import it.
export { classifyPipelineQuery, type PipelineTarget, type ClassifiedQuery } from './classify';
export { relativeTime, shortHash } from './relative-time';
export { pipelineVerdict } from './verdict';
export type * from './overview';
