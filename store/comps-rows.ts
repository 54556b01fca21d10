// Comps documents to rows and back: the one place that knows how a group, category, environment,
// langpack or variant is laid out in the CompsX and Variant* tables. Absent optional fields are NULL
// in a row and absent again when read, so a document reads back exactly as it was written.
import crypto from 'node:crypto';
import type { CompsPackageType, Prisma, VariantType } from '@prisma/client';
import type {
  CompsCategory,
  CompsEnvironment,
  CompsGroup,
  GroupRef,
  Langpack,
  PackageReq,
  Variant,
} from '../domain/comps';
import { variantUid } from '../domain/comps';

type Json = Prisma.InputJsonValue;

/** Keeps only the defined entries: NULL columns come back as absent fields. */
function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
}

const translations = (value: Prisma.JsonValue) => (value ?? {}) as Record<string, string>;
const refs = (value: Prisma.JsonValue) => (value ?? []) as GroupRef[];

export function groupRows(releaseId: string, group: CompsGroup, position: number) {
  const id = crypto.randomUUID();
  const row = {
    id,
    releaseId,
    groupId: group.id,
    position,
    name: group.name,
    nameByLang: group.nameByLang as Json,
    description: group.description ?? null,
    descriptionByLang: group.descriptionByLang as Json,
    isDefault: group.default,
    userVisible: group.uservisible,
    biarchOnly: group.biarchonly,
    langOnly: group.langonly ?? null,
    displayOrder: group.displayOrder ?? null,
    arch: group.arch ?? null,
  };
  const packages = group.packages.map((p, index) => ({
    groupRowId: id,
    position: index,
    name: p.name,
    type: p.type.toUpperCase() as CompsPackageType,
    requires: p.requires ?? null,
    basearchOnly: p.basearchonly ?? null,
    arch: p.arch ?? null,
  }));
  return { row, packages };
}

export const groupInclude = { packages: { orderBy: { position: 'asc' } } } as const;
type GroupRow = Prisma.CompsGroupGetPayload<{ include: typeof groupInclude }>;

export function groupOf(row: GroupRow): CompsGroup {
  return defined({
    id: row.groupId,
    name: row.name,
    nameByLang: translations(row.nameByLang),
    description: row.description,
    descriptionByLang: translations(row.descriptionByLang),
    displayOrder: row.displayOrder,
    arch: row.arch,
    default: row.isDefault,
    uservisible: row.userVisible,
    biarchonly: row.biarchOnly,
    langonly: row.langOnly,
    packages: row.packages.map(
      (p) =>
        defined({
          name: p.name,
          type: p.type.toLowerCase() as PackageReq['type'],
          requires: p.requires,
          basearchonly: p.basearchOnly,
          arch: p.arch,
        }) as PackageReq,
    ),
  } as CompsGroup);
}

function translatedRow(item: CompsCategory | CompsEnvironment) {
  return {
    name: item.name,
    nameByLang: item.nameByLang as Json,
    description: item.description ?? null,
    descriptionByLang: item.descriptionByLang as Json,
    displayOrder: item.displayOrder ?? null,
    arch: item.arch ?? null,
    groupList: item.groups as Json,
  };
}

export function categoryRow(releaseId: string, category: CompsCategory, position: number) {
  return { releaseId, categoryId: category.id, position, ...translatedRow(category) };
}

export function environmentRow(releaseId: string, environment: CompsEnvironment, position: number) {
  return {
    releaseId,
    environmentId: environment.id,
    position,
    ...translatedRow(environment),
    optionList: environment.options as Json,
  };
}

type TranslatedRow = {
  name: string;
  nameByLang: Prisma.JsonValue;
  description: string | null;
  descriptionByLang: Prisma.JsonValue;
  displayOrder: number | null;
  arch: string | null;
  groupList: Prisma.JsonValue;
};

function translatedOf(row: TranslatedRow) {
  return {
    name: row.name,
    nameByLang: translations(row.nameByLang),
    description: row.description,
    descriptionByLang: translations(row.descriptionByLang),
    displayOrder: row.displayOrder,
    arch: row.arch,
    groups: refs(row.groupList),
  };
}

export function categoryOf(row: TranslatedRow & { categoryId: string }): CompsCategory {
  return defined({ id: row.categoryId, ...translatedOf(row) }) as CompsCategory;
}

export function environmentOf(
  row: TranslatedRow & { environmentId: string; optionList: Prisma.JsonValue },
): CompsEnvironment {
  return defined({ id: row.environmentId, ...translatedOf(row), options: refs(row.optionList) }) as CompsEnvironment;
}

export const langpackRow = (releaseId: string, langpack: Langpack, position: number) => ({
  releaseId,
  position,
  name: langpack.name,
  install: langpack.install,
});

export const langpackOf = (row: { name: string; install: string }): Langpack => ({
  name: row.name,
  install: row.install,
});

// ---------- variants ----------

export function variantRows(releaseId: string, variant: Variant, position: number) {
  const id = crypto.randomUUID();
  return {
    row: {
      id,
      releaseId,
      uid: variantUid(variant),
      variantId: variant.id,
      parentUid: variant.parent ?? null,
      position,
      name: variant.name,
      type: variant.type.toUpperCase().replace('-', '_') as VariantType,
      arches: variant.arches,
      hasOptional: variant.hasOptional ?? null,
      isEmpty: variant.isEmpty,
      releaseInfo: (variant.release ?? undefined) as Json | undefined,
      buildinstallPackages: variant.buildinstallPackages,
    },
    modules: variant.modules.map((m, index) => ({
      variantId: id,
      position: index,
      name: m.name,
      stream: m.stream,
      profile: m.profile ?? null,
    })),
    groups: variant.groups.map((g, index) => ({
      variantId: id,
      position: index,
      groupId: g.id,
      isDefault: g.default ?? null,
      userVisible: g.uservisible ?? null,
      glob: g.glob ?? null,
    })),
    environments: variant.environments.map((e, index) => ({
      variantId: id,
      position: index,
      environmentId: e.id,
      displayOrder: e.displayOrder ?? null,
    })),
  };
}

const byPosition = { orderBy: { position: 'asc' } } as const;
export const variantInclude = { modules: byPosition, groups: byPosition, environments: byPosition } as const;
type VariantRow = Prisma.VariantGetPayload<{ include: typeof variantInclude }>;

export function variantOf(row: VariantRow): Variant {
  return defined({
    id: row.variantId,
    name: row.name,
    type: row.type.toLowerCase().replace('_', '-') as Variant['type'],
    parent: row.parentUid,
    arches: row.arches,
    hasOptional: row.hasOptional,
    isEmpty: row.isEmpty,
    release: row.releaseInfo as Variant['release'] | null,
    modules: row.modules.map((m) => defined({ name: m.name, stream: m.stream, profile: m.profile })),
    groups: row.groups.map((g) =>
      defined({ id: g.groupId, default: g.isDefault, uservisible: g.userVisible, glob: g.glob }),
    ),
    environments: row.environments.map((e) => defined({ id: e.environmentId, displayOrder: e.displayOrder })),
    buildinstallPackages: row.buildinstallPackages,
  }) as Variant;
}
