// The message a person can act on, from a failure Temporal wrapped: an activity's, a child workflow's
// or an update's failure wraps the error that happened ("Activity task failed" around "rpmbuild
// exited 1"). Pure: workflows, activities and the clients all unwrap failures this one way.

/** The innermost cause's message (an Error's, or the value itself as text). */
export function rootCauseMessage(failure: unknown): string {
  let e: unknown = failure;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
