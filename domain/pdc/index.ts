export * from './module-definition';
export * from './module-index-definitions';
