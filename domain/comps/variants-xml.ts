// Pungi's variants.xml in and out. Variants nest one level (<variants> inside a <variant>); Cascade keeps
// them as a flat list where a nested one names its parent's uid. A module is written as Pungi's
// name:stream text, with a profile as dnf writes it (name:stream/profile), so the DTD still holds.
import { Variant, VariantsDocument, variantUid, type VariantModule } from './model';
import {
  attrsOf,
  booleanOf,
  childrenOf,
  fail,
  firstIssue,
  integerOf,
  readXml,
  textOf,
  writeXml,
  type XmlElement,
} from './xml-tree';

export const VARIANTS_DOCTYPE =
  '<!DOCTYPE variants PUBLIC "-//Red Hat, Inc.//DTD Variants info//EN" "variants2012.dtd">';

const VARIANT_CHILDREN = ['release', 'arches', 'groups', 'environments', 'variants', 'buildinstallpackages', 'modules'];

export function parseVariantsXml(source: string): VariantsDocument {
  const root = readXml(source, 'variants');
  const elements: XmlElement[] = [];
  const variants: Variant[] = [];
  for (const element of childrenOf(root, ['variant'])) readVariant(element, undefined, variants, elements);
  const result = VariantsDocument.safeParse({ variants });
  if (result.success) return result.data;
  const issue = firstIssue(result.error);
  const element = elements[issue.path[1] as number];
  return fail(element ?? root, `${issue.path.slice(2).join('.') || 'variant'}: ${issue.message}`);
}

function readVariant(element: XmlElement, parent: string | undefined, out: Variant[], elements: XmlElement[]): void {
  const attrs = attrsOf(element, ['id', 'name', 'type', 'has_optional', 'is_empty']);
  const children = childrenOf(element, VARIANT_CHILDREN);
  const value: Record<string, unknown> = {
    id: attrs.id,
    name: attrs.name,
    type: attrs.type,
    ...(parent ? { parent } : {}),
    arches: [],
  };
  if (attrs.has_optional !== undefined) value.hasOptional = booleanOf(element, attrs.has_optional);
  if (attrs.is_empty !== undefined) value.isEmpty = booleanOf(element, attrs.is_empty);
  const nested: XmlElement[] = [];
  for (const child of children) {
    if (child.tag === 'release') value.release = attrsOf(child, ['name', 'short', 'version']);
    if (child.tag === 'arches') value.arches = childrenOf(child, ['arch']).map((a) => textOf(a).trim());
    if (child.tag === 'groups') value.groups = childrenOf(child, ['group']).map(readGroup);
    if (child.tag === 'environments') value.environments = childrenOf(child, ['environment']).map(readEnvironment);
    if (child.tag === 'buildinstallpackages') {
      value.buildinstallPackages = childrenOf(child, ['package']).map((p) => textOf(p).trim());
    }
    if (child.tag === 'modules') value.modules = childrenOf(child, ['module']).map(readModule);
    if (child.tag === 'variants') nested.push(...childrenOf(child, ['variant']));
  }
  const checked = Variant.safeParse(value);
  if (!checked.success) {
    const issue = firstIssue(checked.error);
    fail(element, `${attrs.id ? `'${attrs.id}' ` : ''}${issue.path.join('.') || 'variant'}: ${issue.message}`);
  }
  out.push(checked.data);
  elements.push(element);
  for (const child of nested) readVariant(child, variantUid(checked.data), out, elements);
}

function readGroup(element: XmlElement): Record<string, unknown> {
  const attrs = attrsOf(element, ['default', 'uservisible', 'glob']);
  const group: Record<string, unknown> = { id: textOf(element).trim() };
  for (const name of ['default', 'uservisible', 'glob'] as const) {
    if (attrs[name] !== undefined) group[name] = booleanOf(element, attrs[name]);
  }
  return group;
}

function readEnvironment(element: XmlElement): Record<string, unknown> {
  const { display_order: order } = attrsOf(element, ['display_order']);
  return { id: textOf(element).trim(), ...(order === undefined ? {} : { displayOrder: integerOf(element, order) }) };
}

function readModule(element: XmlElement): Partial<VariantModule> {
  attrsOf(element, []);
  const spec = textOf(element).trim();
  const match = /^([^:/\s]+):([^:/\s]+)(?:\/([^:/\s]+))?$/.exec(spec);
  if (!match) fail(element, `'${spec}' is not name:stream or name:stream/profile`);
  const [, name, stream, profile] = match;
  return profile === undefined ? { name, stream } : { name, stream, profile };
}

// ---------- writing ----------

type Tree = Record<string, unknown>;

const moduleSpec = (m: VariantModule) => `${m.name}:${m.stream}${m.profile ? `/${m.profile}` : ''}`;

function variantTree(variant: Variant, all: Variant[]): Tree {
  const uid = variantUid(variant);
  const children = all.filter((v) => v.parent === uid);
  const tree: Tree = {
    '@id': variant.id,
    '@name': variant.name,
    '@type': variant.type,
    ...(variant.hasOptional === undefined ? {} : { '@has_optional': String(variant.hasOptional) }),
    ...(variant.isEmpty ? { '@is_empty': 'true' } : {}),
  };
  if (variant.release) {
    tree.release = Object.fromEntries(Object.entries(variant.release).map(([k, v]) => [`@${k}`, v]));
  }
  tree.arches = { arch: variant.arches };
  if (variant.groups.length > 0) {
    tree.groups = {
      group: variant.groups.map((g) => ({
        '#text': g.id,
        ...(g.glob === undefined ? {} : { '@glob': String(g.glob) }),
        ...(g.default === undefined ? {} : { '@default': String(g.default) }),
        ...(g.uservisible === undefined ? {} : { '@uservisible': String(g.uservisible) }),
      })),
    };
  }
  if (variant.environments.length > 0) {
    tree.environments = {
      environment: variant.environments.map((e) => ({
        '#text': e.id,
        ...(e.displayOrder === undefined ? {} : { '@display_order': String(e.displayOrder) }),
      })),
    };
  }
  if (children.length > 0) tree.variants = { variant: children.map((c) => variantTree(c, all)) };
  if (variant.buildinstallPackages.length > 0) tree.buildinstallpackages = { package: variant.buildinstallPackages };
  if (variant.modules.length > 0) tree.modules = { module: variant.modules.map(moduleSpec) };
  return tree;
}

export function generateVariantsXml(doc: VariantsDocument): string {
  const top = doc.variants.filter((v) => !v.parent);
  return writeXml(VARIANTS_DOCTYPE, { variants: { variant: top.map((v) => variantTree(v, doc.variants)) } });
}
