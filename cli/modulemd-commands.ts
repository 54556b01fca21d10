// `cascade modulemd validate FILE [--type modulemd-packager-v3]`: offline, straight from domain/.
// domain/modulemd (with its YAML reader) is imported when the command runs, not at every start.
import fs from 'node:fs';
import { Option, type Command } from 'commander';

export function registerModulemdCommands(program: Command): void {
  program
    .command('modulemd')
    .description('modulemd documents (offline)')
    .command('validate <file>')
    .description('validate a modulemd document or module index; exit 0 when valid, 1 with the errors when not')
    .addOption(
      new Option('--type <type>', 'document type')
        .choices(['module-index', 'modulemd-packager-v3'])
        .default('module-index'),
    )
    .action(async (file: string, opts: { type: 'module-index' | 'modulemd-packager-v3' }) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        console.error(`${file}: cannot read: ${(err as Error).message}`);
        process.exitCode = 1;
        return;
      }
      const { describeModulemdError, validateDocumentText } = await import('../domain/modulemd');
      const result = validateDocumentText(text, { fileName: file, type: opts.type });
      if (result.valid) {
        console.log(`${file}: valid`);
        return;
      }
      for (const error of result.errors) console.error(describeModulemdError(error, file));
      process.exitCode = 1;
    });
}
