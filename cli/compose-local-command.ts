// `cascade compose --local`'s options and help, registered on the compose command at every start.
// The compose itself (cli/compose-local.ts: the local module builder, PGlite, Prisma, Pungi's phases)
// is imported only when the command runs, so the other commands never load it.
import { Command, Option } from 'commander';
import { COMPOSE_TYPES, type ComposeType } from '../domain/compose';

/** The options of local mode, parsed on their own: `start` and the other subcommands use some of the same names. */
function localModeCommand(): Command {
  return new Command('compose --local')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .requiredOption('--tree <dir>', 'modules/<name> and rpms/<name> repositories (git or plain directories)')
    .requiredOption('--branch <branch>', "the tree's branch (plain directories are committed on it)")
    .requiredOption('--variants <file>', 'variants.xml')
    .option('--comps <file>', 'comps.xml')
    .requiredOption('--release <short-version>', 'the release, e.g. cascade-29')
    .option('--release-name <name>', "the release's full name in composeinfo.json (default: its short name)")
    .addOption(new Option('--type <type>', 'the compose type').choices(COMPOSE_TYPES).default('nightly'))
    .option('--label <label>', "a milestone label such as 'Beta-1.0'")
    .option('--platform <stream>', 'the platform stream modules run on (default: the branch)')
    .requiredOption('--output <dir>', 'where the compose and its latest-* link go')
    .option('--state <dir>', 'builds and their store (default: <output>/.cascade-local)')
    .option('--keep <n>', 'composes of the release kept in the output', '10')
    .option('--concurrency <n>', 'component builds at once', '2');
}

const LOCAL_HELP = `
Offline (Pungi's local mode: no Temporal, API, database server or Koji):
  cascade compose --local --tree DIR --branch BRANCH --variants variants.xml [--comps comps.xml]
                  --release SHORT-VERSION [--release-name NAME] [--type nightly] [--label L] [--platform STREAM]
                  --output OUT [--state DIR] [--keep 10] [--concurrency 2]
  exit 0 FINISHED, 2 FINISHED_INCOMPLETE, 1 otherwise`;

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} '${value}': must be a whole number from 1`);
  return n;
}

/** `compose --local ...`: the compose command's own action, beside its API subcommands. */
export function registerComposeLocal(compose: Command): void {
  compose
    .option('--local', 'compose offline from a tree (see below)')
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText('after', LOCAL_HELP)
    .action(async (opts: { local?: boolean }, command: Command) => {
      if (!opts.local) return compose.help({ error: true });
      const local = localModeCommand();
      try {
        local.parse(command.args, { from: 'user' });
      } catch (err) {
        throw new Error(`compose --local: ${(err as Error).message.replace(/^error: /, '')}`);
      }
      const o = local.opts<Record<string, string | undefined>>();
      const { composeLocal } = await import('./compose-local');
      const result = await composeLocal({
        tree: o.tree!,
        branch: o.branch!,
        variants: o.variants!,
        comps: o.comps,
        release: o.release!,
        releaseName: o.releaseName,
        type: o.type as ComposeType,
        output: o.output!,
        label: o.label,
        platform: o.platform,
        state: o.state,
        keep: wholeNumber('keep', o.keep!),
        concurrency: wholeNumber('concurrency', o.concurrency!),
      });
      process.exitCode = result.exitCode;
    });
}
