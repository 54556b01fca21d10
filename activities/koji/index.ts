// activities/koji/: the builder adapter (Koji's job) and its embedded implementation, LocalKoji.
export * from './builder';
export { LocalKoji, taskIdFor } from './local-koji';
