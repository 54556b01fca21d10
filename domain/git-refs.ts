// Git's conventions Cascade relies on, for the store, the dist-git adapters and the push trigger.

/** The "commit" git reports as a ref's old value when the branch is new, or its new one when deleted. */
export const ZERO_HASH = '0'.repeat(40);
