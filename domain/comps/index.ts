// domain/comps: Comps-as-a-Service's model — a release's comps (groups, categories, environments,
// langpacks) and its variants defined by modules and groups — with comps.xml and Pungi variants.xml
// read and written, and the comps pruned to one variant. Pure: the store, the API and the compose's
// activities import it.
export * from './model';
export { COMPS_DOCTYPE, generateCompsXml, parseCompsXml } from './comps-xml';
export { VARIANTS_DOCTYPE, generateVariantsXml, parseVariantsXml } from './variants-xml';
export { pruneCompsToVariant } from './prune';
export { XmlDocumentError } from './xml-tree';
