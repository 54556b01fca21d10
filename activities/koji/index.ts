// activities/koji/: the builder adapter (Koji's job), its embedded implementation LocalKoji and the
// production one, KojiHubBuilder, with its XML-RPC client.
export * from './builder';
export { LocalKoji, taskIdFor } from './local-koji';
export { KojiHubBuilder, buildKeyOf } from './koji-hub-builder';
export { KojiHubClient, KojiCallError, KojiUnreachableError, type KojiAuth } from './koji-hub-client';
