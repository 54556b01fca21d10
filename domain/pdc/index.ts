// domain/pdc: module definitions as PDC (pdc-updater) reads them from modulemd, and their diffs against
// what the store holds. Pure, like all of domain/: activities, the store's callers and the API import it.
export * from './module-definition';
export * from './module-index-definitions';
