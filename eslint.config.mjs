// One linter for the tree, with the layers' boundaries on top: workflows/ are deterministic (Temporal's
// rules), domain/ does no I/O, api/ uses activities and workflows for their types only (it starts
// workflows through clients/), and store/ knows nothing above it. test/platform/lint-boundaries.test.ts
// shows each rule refusing a forbidden import and accepting an allowed one.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** A relative import of one of Cascade's top-level folders, from anywhere below the root. */
const folders = (...names) => `^(\\.{1,2}/)+(${names.join('|')})(/|$)`;

const noNodeBuiltins = (message) => nodeBuiltins.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.tools/**', '.venv/**', 'coverage/**', 'web/dist/**', '.build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noNodeBuiltins('Workflows are deterministic: no Node built-ins.'),
          patterns: [
            {
              regex: folders('activities'),
              allowTypeImports: true,
              message: 'Workflows call activities through proxyActivities<typeof activities>; import their types only.',
            },
            {
              regex: folders('store', 'api', 'platform', 'clients', 'workers'),
              allowTypeImports: true,
              message: 'Workflows do no I/O: import types only from store/, api/, platform/, clients/ or workers/.',
            },
            { group: ['@prisma/*', 'pino', 'express', 'pg', 'amqplib'], message: 'Workflows do no I/O.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Use workflow time (the sandbox clock) through the domain, not Date.now().',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'Math.random() is not deterministic: use uuid4() from @temporalio/workflow.',
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Workflows cannot read the process.' }],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noNodeBuiltins('domain/ is pure: no Node built-ins (digest.ts has SHA-1 and SHA-256).'),
          patterns: [
            {
              regex: folders(
                'activities',
                'store',
                'api',
                'platform',
                'clients',
                'workers',
                'workflows',
                'cli',
                'bench',
              ),
              message: 'domain/ is the bottom layer: it imports nothing of the layers above it, not even types.',
            },
            {
              group: ['@prisma/*', '@temporalio/*', 'pino', 'express', 'pg', 'amqplib', 'commander'],
              message: 'domain/ is pure: no database, no Temporal, no process.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: folders('activities', 'workflows'),
              allowTypeImports: true,
              message:
                'api/ imports activities and workflows for their types only: start and address workflows through clients/, take adapters from ApiDependencies.',
            },
            { regex: folders('workers', 'cli', 'bench'), message: 'api/ is imported by workers/, never the reverse.' },
          ],
        },
      ],
    },
  },
  {
    files: ['store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: folders('api', 'activities', 'workflows', 'clients', 'workers', 'cli', 'bench'),
              message: 'store/ reads and writes the database for the layers above it; it imports none of them.',
            },
          ],
        },
      ],
    },
  },
);
