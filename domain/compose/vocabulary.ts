// The words of a compose, as Pungi 4 and productmd use them: its types (and their id suffixes), its
// statuses (the STATUS file) and its phases, in Pungi's order.

export const COMPOSE_TYPES = ['production', 'nightly', 'test', 'ci'] as const;
export type ComposeType = (typeof COMPOSE_TYPES)[number];

/** productmd's ComposeInfo.type_suffix: what the compose id carries after its date. */
export const COMPOSE_TYPE_SUFFIX: Record<ComposeType, string> = {
  production: '',
  nightly: '.n',
  test: '.t',
  ci: '.ci',
};

export const COMPOSE_STATUSES = ['STARTED', 'FINISHED', 'FINISHED_INCOMPLETE', 'DOOMED', 'TERMINATED'] as const;
export type ComposeStatus = (typeof COMPOSE_STATUSES)[number];

/** A compose in one of these states is never changed again (Pungi: a FINISHED compose is immutable). */
export const FINAL_COMPOSE_STATUSES: readonly ComposeStatus[] = [
  'FINISHED',
  'FINISHED_INCOMPLETE',
  'DOOMED',
  'TERMINATED',
];

/** Statuses a compose may be published with: the others never reach a mirror. */
export const PUBLISHABLE_COMPOSE_STATUSES: readonly ComposeStatus[] = ['FINISHED', 'FINISHED_INCOMPLETE'];

export const COMPOSE_PHASES = [
  'init',
  'pkgset',
  'gather',
  'createrepo',
  'image',
  'image_checksum',
  'test',
  'metadata',
  'note',
  'publish',
] as const;
export type ComposePhase = (typeof COMPOSE_PHASES)[number];

/** productmd's VARIANT_TYPES. */
export const VARIANT_TYPES = ['variant', 'addon', 'optional', 'layered-product'] as const;
export type VariantType = (typeof VARIANT_TYPES)[number];

export function isComposeStatus(text: string): text is ComposeStatus {
  return (COMPOSE_STATUSES as readonly string[]).includes(text);
}
