// What a compose is made from, kept inside the compose directory so both modes lay it out alike:
// each variant's comps where Pungi keeps them (work/<arch>/comps/comps-<Variant>.<arch>.xml, the
// release's comps pruned to the variant and the arch) and each module build's final modulemd
// (work/global/modulemd/<name>-<stream>-<version>-<context>.yaml, which gather reads).
import path from 'node:path';
import { generateCompsXml, pruneCompsToVariant, type CompsDocument, type Variant } from '../../domain/comps';
import { writeFileAtomic } from './compose-files';

export const variantCompsPath = (composeDir: string, uid: string, arch: string) =>
  path.join(composeDir, 'work', arch, 'comps', `comps-${uid}.${arch}.xml`);

export const moduleBuildModulemdPath = (composeDir: string, nsvc: string) =>
  path.join(composeDir, 'work', 'global', 'modulemd', `${nsvc.replace(/:/g, '-')}.yaml`);

/** The variant's comps for each of its arches; nothing when the variant names no group. */
export function writeVariantComps(input: {
  composeDir: string;
  uid: string;
  arches: string[];
  comps: CompsDocument;
  /** the variant as Comps-as-a-Service defines it (its groups, environments) */
  definition: Variant;
}): void {
  if (input.definition.groups.length === 0) return;
  for (const arch of input.arches)
    writeFileAtomic(
      variantCompsPath(input.composeDir, input.uid, arch),
      generateCompsXml(pruneCompsToVariant(input.comps, input.definition, arch)),
    );
}

export function writeModuleBuildModulemd(composeDir: string, nsvc: string, modulemd: string): string {
  const file = moduleBuildModulemdPath(composeDir, nsvc);
  writeFileAtomic(file, modulemd);
  return file;
}
