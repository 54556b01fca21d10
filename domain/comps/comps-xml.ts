// comps.xml in and out: the reader turns a document into a CompsDocument (refusing what it does not
// know, naming the element and its line), the writer emits one libcomps and dnf load, with the comps
// DOCTYPE and libcomps' element order (groups, categories, environments, langpacks, blacklist, whiteout).
import type { z } from 'zod';
import { CompsCategory, CompsDocument, CompsEnvironment, CompsGroup, type GroupRef, type PackageReq } from './model';
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

export const COMPS_DOCTYPE = '<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">';

const TOP = ['group', 'category', 'environment', 'langpacks', 'blacklist', 'whiteout'] as const;
const TRANSLATED = ['id', 'name', 'description', 'display_order'] as const;

export function parseCompsXml(source: string): CompsDocument {
  const root = readXml(source, 'comps');
  const children = childrenOf(root, TOP);
  const of = (tag: string) => children.filter((c) => c.tag === tag);
  const groups = of('group').map(readGroup);
  const categories = of('category').map((e) => validated(CompsCategory, e, readCategory(e)));
  const environments = of('environment').map((e) => validated(CompsEnvironment, e, readEnvironment(e)));
  const raw = {
    groups,
    categories,
    environments,
    langpacks: of('langpacks').flatMap((e) =>
      childrenOf(e, ['match']).map((m) => pick(attrsOf(m, ['name', 'install']), ['name', 'install'])),
    ),
    blacklist: of('blacklist').flatMap((e) =>
      childrenOf(e, ['package']).map((p) => pick(attrsOf(p, ['name', 'arch']), ['name', 'arch'])),
    ),
    whiteout: of('whiteout').flatMap((e) =>
      childrenOf(e, ['ignoredep']).map((d) => pick(attrsOf(d, ['requires', 'package']), ['requires', 'package'])),
    ),
  };
  const result = CompsDocument.safeParse(raw);
  if (result.success) return result.data;
  const issue = firstIssue(result.error);
  const [list, index] = issue.path as [string, number];
  const tag = { groups: 'group', categories: 'category', environments: 'environment' }[list];
  const element = tag ? of(tag)[index] : undefined;
  if (element) fail(element, issue.message);
  return fail(root, `${issue.path.join('.')}: ${issue.message}`);
}

function pick(attrs: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (attrs[n] === undefined ? [] : [[n, attrs[n]]])));
}

function validated<S extends z.ZodType>(schema: S, element: XmlElement, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = firstIssue(result.error);
  const id = (value as { id?: string }).id;
  return fail(element, `${id ? `'${id}' ` : ''}${issue.path.join('.') || 'value'}: ${issue.message}`);
}

/** id, name and description with their translations, display_order: what groups, categories and environments share. */
function readTranslated(children: XmlElement[]) {
  const out: Record<string, unknown> = { nameByLang: {}, descriptionByLang: {} };
  for (const child of children) {
    if (child.tag === 'id') out.id = textOf(child);
    if (child.tag === 'display_order') out.displayOrder = integerOf(child, textOf(child));
    if (child.tag !== 'name' && child.tag !== 'description') continue;
    const { 'xml:lang': lang } = attrsOf(child, ['xml:lang']);
    const field = child.tag === 'name' ? 'name' : 'description';
    if (lang === undefined) out[field] = textOf(child);
    else (out[`${field}ByLang`] as Record<string, string>)[lang] = textOf(child);
  }
  return out;
}

function readGroup(element: XmlElement): CompsGroup {
  const { arch } = attrsOf(element, ['arch']);
  const known = [...TRANSLATED, 'default', 'uservisible', 'biarchonly', 'langonly', 'packagelist'];
  const children = childrenOf(element, known);
  const value: Record<string, unknown> = { ...readTranslated(children), ...(arch === undefined ? {} : { arch }) };
  for (const child of children) {
    if (child.tag === 'default' || child.tag === 'uservisible' || child.tag === 'biarchonly') {
      value[child.tag] = booleanOf(child, textOf(child));
    }
    if (child.tag === 'langonly') value.langonly = textOf(child).trim();
    if (child.tag === 'packagelist') value.packages = childrenOf(child, ['packagereq']).map(readPackageReq);
  }
  return validated(CompsGroup, element, value);
}

function readPackageReq(element: XmlElement): Partial<PackageReq> {
  const attrs = attrsOf(element, ['type', 'requires', 'basearchonly', 'arch']);
  const value: Record<string, unknown> = { name: textOf(element).trim() };
  if (attrs.type !== undefined) value.type = attrs.type;
  if (attrs.requires !== undefined && attrs.requires !== '') value.requires = attrs.requires;
  if (attrs.basearchonly !== undefined) value.basearchonly = booleanOf(element, attrs.basearchonly);
  if (attrs.arch !== undefined) value.arch = attrs.arch;
  return value;
}

function readGroupRefs(list: XmlElement): GroupRef[] {
  return childrenOf(list, ['groupid']).map((g) => {
    const { default: isDefault } = attrsOf(g, ['default', 'arch']);
    const ref: GroupRef = { id: textOf(g) };
    if (isDefault !== undefined) ref.default = booleanOf(g, isDefault);
    return ref;
  });
}

function readCategory(element: XmlElement): Record<string, unknown> {
  const { arch } = attrsOf(element, ['arch']);
  const children = childrenOf(element, [...TRANSLATED, 'grouplist']);
  const groups = children.filter((c) => c.tag === 'grouplist').flatMap(readGroupRefs);
  return { ...readTranslated(children), groups, ...(arch === undefined ? {} : { arch }) };
}

function readEnvironment(element: XmlElement): Record<string, unknown> {
  const { arch } = attrsOf(element, ['arch']);
  const children = childrenOf(element, [...TRANSLATED, 'grouplist', 'optionlist']);
  const groups = children.filter((c) => c.tag === 'grouplist').flatMap(readGroupRefs);
  const options = children.filter((c) => c.tag === 'optionlist').flatMap(readGroupRefs);
  return { ...readTranslated(children), groups, options, ...(arch === undefined ? {} : { arch }) };
}

// ---------- writing ----------

type Tree = Record<string, unknown>;

function translatedTree(item: {
  id: string;
  name: string;
  nameByLang: Record<string, string>;
  description?: string;
  descriptionByLang: Record<string, string>;
}): Tree {
  const localized = (base: string | undefined, byLang: Record<string, string>) => [
    ...(base === undefined ? [] : [base]),
    ...Object.entries(byLang).map(([lang, value]) => ({ '#text': value, '@xml:lang': lang })),
  ];
  const descriptions = localized(item.description, item.descriptionByLang);
  return {
    id: item.id,
    name: localized(item.name, item.nameByLang),
    ...(descriptions.length > 0 ? { description: descriptions } : {}),
  };
}

const archAttr = (arch: string | undefined): Tree => (arch === undefined ? {} : { '@arch': arch });
const orderTree = (order: number | undefined): Tree => (order === undefined ? {} : { display_order: String(order) });
const refTree = (ref: GroupRef) =>
  ref.default === undefined ? ref.id : { '#text': ref.id, '@default': String(ref.default) };
const listTree = (refs: GroupRef[]) => ({ groupid: refs.map(refTree) });

function packageTree(p: PackageReq): Tree {
  return {
    '#text': p.name,
    ...archAttr(p.arch),
    '@type': p.type,
    ...(p.requires === undefined ? {} : { '@requires': p.requires }),
    ...(p.basearchonly === undefined ? {} : { '@basearchonly': String(p.basearchonly) }),
  };
}

function groupTree(g: CompsGroup): Tree {
  return {
    ...archAttr(g.arch),
    ...translatedTree(g),
    default: String(g.default),
    uservisible: String(g.uservisible),
    ...(g.biarchonly ? { biarchonly: 'true' } : {}),
    ...orderTree(g.displayOrder),
    ...(g.langonly === undefined ? {} : { langonly: g.langonly }),
    packagelist: { packagereq: g.packages.map(packageTree) },
  };
}

export function generateCompsXml(doc: CompsDocument): string {
  const comps: Tree = {
    group: doc.groups.map(groupTree),
    category: doc.categories.map((c) => ({
      ...archAttr(c.arch),
      ...translatedTree(c),
      ...orderTree(c.displayOrder),
      grouplist: listTree(c.groups),
    })),
    environment: doc.environments.map((e) => ({
      ...archAttr(e.arch),
      ...translatedTree(e),
      ...orderTree(e.displayOrder),
      grouplist: listTree(e.groups),
      optionlist: listTree(e.options),
    })),
  };
  if (doc.langpacks.length > 0) {
    comps.langpacks = { match: doc.langpacks.map((l) => ({ '@name': l.name, '@install': l.install })) };
  }
  if (doc.blacklist.length > 0) {
    comps.blacklist = { package: doc.blacklist.map((b) => ({ '@name': b.name, ...archAttr(b.arch) })) };
  }
  if (doc.whiteout.length > 0) {
    comps.whiteout = { ignoredep: doc.whiteout.map((w) => ({ '@requires': w.requires, '@package': w.package })) };
  }
  return writeXml(COMPS_DOCTYPE, { comps });
}
