// One linter for the tree; workflows/ get Temporal's determinism rules on top.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.tools/**', '.venv/**', 'coverage/**'] },
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
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
          patterns: [
            {
              group: ['**/activities/**', '../activities', '../activities/*'],
              allowTypeImports: true,
              message: 'Workflows call activities through proxyActivities<typeof activities>; import their types only.',
            },
            { group: ['@prisma/*', 'pino', 'express'], message: 'Workflows do no I/O.' },
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
);
