// domain/mbs: the Module Build Service's view of Cascade's module builds, as MBS 3.9.2's API answers it
// (module_build_service/common/models.py: ModuleBuild.short_json/json/extended_json, ComponentBuild.json,
// BUILD_STATES; web/utils.py's list filters; web/views.py's submission by scmurl). Pure: the API
// (api/routes/mbs-module-builds.ts) and the store reads (store/mbs-module-builds.ts) import it.
export type { MbsComponentFacts, MbsModuleFacts, MbsTraceFacts } from './build-json';
export {
  MBS_BUILD_STATES,
  kojiTaskNumber,
  mbsComponentJson,
  mbsExtendedJson,
  mbsModuleJson,
  mbsShortJson,
  mbsStateNumber,
} from './build-json';
export type { MbsScmUrl } from './scm-url';
export { parseMbsScmUrl } from './scm-url';
