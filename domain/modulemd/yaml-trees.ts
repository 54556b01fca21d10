// The two views of a YAML document that domain/modulemd reads, and the path to a field in them. Their
// own file so that the readers (yaml-source.ts, yaml-block-reader.ts, yaml-scalar-values.ts) share
// them without importing each other in a circle.

/** Scalars as their source text: modulemd treats every scalar as a string (`stream: 1.10` is "1.10"). */
export type TextTree = string | null | TextTree[] | { [key: string]: TextTree };

/** YAML's core types, for free-form blocks such as xmd. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type FieldPath = readonly (string | number)[];

/** A key given again in the same mapping: the later value is kept, this is the earlier one it replaced. */
export interface DuplicateKey {
  /** The repeated key's path, e.g. data.dependencies[0].buildrequires.platform */
  path: FieldPath;
  earlier: TextTree;
}
