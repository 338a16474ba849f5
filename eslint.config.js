// Type-aware lint, and the import boundaries of DESIGN.md ("Layout"), kept by no-restricted-imports.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const core = 'packages/core/src';
const restrict = (files, patterns, extra = {}) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns, ...extra }] },
});
const noExeca = { group: ['execa'], message: 'Only exec/ spawns processes.' };
const noChildProcess = {
  group: ['node:child_process', 'child_process'],
  message: 'Only exec/ spawns processes (through execa).',
};
// A regex, not a gitignore-style group: the group `http` would also match our own `../http/*`.
const noNet = {
  regex: '^(node:)?(http|https|http2|net|tls|dgram)$|^undici(/|$)',
  message: 'Only http/ talks to the network.',
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/__fixtures__/**',
      'test/fixtures/**',
      'examples/**',
      'bench/.data/**',
      'coverage/**',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // Everywhere in core: processes only in exec/, network only in http/.
  restrict([`${core}/**/*.ts`], [noExeca, noChildProcess, noNet]),
  restrict(
    [`${core}/exec/**/*.ts`],
    [
      noNet,
      {
        group: ['../*', '!../model/*', '!../model', '!../errors.js'],
        message: 'exec/ imports only model and errors.',
      },
    ],
  ),
  restrict(
    [`${core}/http/**/*.ts`],
    [
      noExeca,
      noChildProcess,
      {
        group: ['../*', '!../model/*', '!../model', '!../errors.js'],
        message: 'http/ imports only model and errors.',
      },
    ],
  ),
  restrict(
    [`${core}/decode/**/*.ts`],
    [
      noExeca,
      noChildProcess,
      noNet,
      {
        group: ['../*', '!../model/*', '!../model', '!../errors.js'],
        message: 'decode/ imports only model and errors.',
      },
    ],
  ),
  restrict(
    [`${core}/model/**/*.ts`],
    [
      noExeca,
      noChildProcess,
      noNet,
      { group: ['../*', 'node:*'], message: 'model/ imports nothing.' },
    ],
  ),
  restrict(
    [`${core}/report/**/*.ts`],
    [
      noExeca,
      noChildProcess,
      noNet,
      {
        group: ['../*', '!../model/*', '!../model', '!../errors.js'],
        message: 'report/ imports only model.',
      },
    ],
  ),
  ...['npm', 'pypi', 'cargo', 'rubygems'].map((eco) =>
    restrict(
      [`${core}/ecosystems/${eco}/**/*.ts`],
      [
        noChildProcess,
        noNet,
        {
          group: ['npm', 'pypi', 'cargo', 'rubygems']
            .filter((o) => o !== eco)
            .flatMap((o) => [`../${o}/*`, `../${o}`]),
          message: 'Ecosystems never import each other.',
        },
      ],
    ),
  ),
  // CLI reaches core only through its exports map.
  restrict(
    ['packages/cli/src/**/*.ts'],
    [
      {
        group: ['@supplyaudit/core/*', '../../core/*', '../../core'],
        message: 'Import @supplyaudit/core through its exports map.',
      },
    ],
  ),
);
