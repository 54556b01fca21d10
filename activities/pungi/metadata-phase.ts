// metadata: productmd's compose/metadata/{composeinfo,rpms,modules,images}.json for the variants that
// ship, exactly as productmd 1.2 writes them; variants left out are moved to work/excluded/ so the
// tree holds only what the metadata describes. STATUS (FINISHED, FINISHED_INCOMPLETE or DOOMED) is
// written last, and a compose whose status is already final is left as it is.
import fs from 'node:fs';
import path from 'node:path';
import {
  FINAL_COMPOSE_STATUSES,
  composeInfoDocument,
  imagesDocument,
  modulesDocument,
  parseComposeId,
  productmdJson,
  rpmsDocument,
  type ImageEntry,
  type ModuleEntry,
  type RpmEntry,
} from '../../domain/compose';
import { composeLayout, packageSubdir, readJsonFile, replaceDirectory, writeFileAtomic } from './compose-files';
import type { GatherList } from './gather-phase';
import type { ImageRecord } from './image-phase';
import { findVariant, readComposeId, readComposeRequest, readComposeStatus, writeComposeStatus } from './init-phase';

export interface MetadataPhaseInput {
  composeDir: string;
  status: 'FINISHED' | 'FINISHED_INCOMPLETE' | 'DOOMED';
  /** uids of the variants that ship; the others are left out */
  variants: string[];
}

export interface MetadataPhaseOutput {
  composeId: string;
  status: string;
  metadataDir: string;
  rpms: number;
  modules: number;
  images: number;
}

export async function metadataPhase(input: MetadataPhaseInput): Promise<MetadataPhaseOutput> {
  const layout = composeLayout(input.composeDir);
  const composeId = readComposeId(input.composeDir);
  const parsedId = parseComposeId(composeId);
  if (!parsedId.ok) throw new Error(`COMPOSE_ID: ${parsedId.error.message}`);
  const request = readComposeRequest(input.composeDir);
  const shipped = input.variants.map((uid) => findVariant(request, uid));
  const counts = { rpms: 0, modules: 0, images: 0 };
  const done = (status: string): MetadataPhaseOutput => ({
    composeId,
    status,
    metadataDir: layout.metadata,
    ...counts,
  });
  const current = readComposeStatus(input.composeDir);
  if (FINAL_COMPOSE_STATUSES.includes(current)) return done(current);

  for (const v of request.variants)
    if (!input.variants.includes(v.uid) && fs.existsSync(layout.variantDir(v.uid)))
      replaceDirectory(layout.variantDir(v.uid), layout.excluded(v.uid));

  const rpms: RpmEntry[] = [];
  const modules: ModuleEntry[] = [];
  const images: ImageEntry[] = [];
  for (const v of shipped) {
    for (const arch of v.arches) {
      const list = readJsonFile<GatherList>(layout.gatherList(v.uid, arch), `the gather list of ${v.uid}.${arch}`);
      for (const p of list.packages) {
        const dir = p.category === 'source' ? `${v.uid}/source/tree/Packages` : `${v.uid}/${arch}/os/Packages`;
        rpms.push({
          variant: v.uid,
          arch,
          nevra: p.nevra,
          srpmNevra: p.srpmNevra,
          category: p.category,
          path: `${dir}/${packageSubdir(p.fileName)}/${p.fileName}`,
        });
      }
      const modulemdPath = modulesRepodata(layout.osTree(v.uid, arch), layout.compose);
      for (const m of list.modules) {
        const [name, stream, version, context] = m.nsvc.split(':');
        modules.push({
          variant: v.uid,
          arch,
          nsvc: m.nsvc,
          modulemdPath,
          rpms: m.rpms,
          kojiTag: `module-${name}-${stream}-${version}-${context}`,
        });
      }
      const recordFile = layout.imageRecord(v.uid, arch);
      const records = fs.existsSync(recordFile)
        ? readJsonFile<{ images: ImageRecord[] }>(recordFile, 'image record').images
        : [];
      for (const r of records) {
        if (!r.sha256) throw new Error(`image ${r.path} has no checksum: run image_checksum first`);
        images.push({
          variant: v.uid,
          arch,
          path: r.path,
          type: r.type,
          format: r.format,
          size: r.size,
          mtime: r.mtime,
          sha256: r.sha256,
          volumeId: r.volumeId,
          subvariant: v.uid,
        });
      }
    }
  }
  const write = (name: string, doc: unknown) => writeFileAtomic(path.join(layout.metadata, name), productmdJson(doc));
  write('composeinfo.json', composeInfoDocument(request, parsedId.id, shipped));
  write('rpms.json', rpmsDocument(parsedId.id, rpms));
  write('modules.json', modulesDocument(parsedId.id, modules));
  write('images.json', imagesDocument(parsedId.id, images));
  counts.rpms = rpms.length;
  counts.modules = new Set(modules.map((m) => m.nsvc)).size;
  counts.images = images.length;
  writeComposeStatus({ composeDir: input.composeDir, status: input.status });
  return done(input.status);
}

/** The repo's modules document, relative to compose/ (what modules.json's modulemd_path points at). */
function modulesRepodata(repoDir: string, composeRoot: string): string {
  const repodata = path.join(repoDir, 'repodata');
  const file = fs.existsSync(repodata)
    ? fs.readdirSync(repodata).find((f) => /-modules\.yaml(\.\w+)?$/.test(f))
    : undefined;
  return path.relative(composeRoot, file ? path.join(repodata, file) : repodata);
}
