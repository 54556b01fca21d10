// domain/demo: the small distribution `bin/cascade demo` creates in the embedded dist-git: what each
// repository holds (real spec files, modulemd documents, a module test), the change that starts the
// campaign, the fix a person pushes and the release variant composes are made of. Pure (text in, text out): the CLI pushes it; tests keep
// fixtures of their own (test/support/distribution-fixture.ts).
export {
  DEMO_BRANCH,
  DEMO_CHANGED_COMPONENT,
  DEMO_FAILING_MODULE,
  DEMO_MODULES,
  DEMO_RELEASE,
  demoChange,
  demoComponentFiles,
  demoFix,
  demoModuleFiles,
  demoTiers,
  demoVariant,
  type DemoModule,
  type DemoRepoFiles,
} from './distribution';
