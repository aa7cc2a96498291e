// Lint rules: typescript-eslint's type-aware recommended set, plus the import direction of DESIGN §7.
import tseslint from 'typescript-eslint';

const lower = (...folders) => folders.map((folder) => ({ group: [`**/${folder}/**`, `../${folder}/*`], message: `shared/${folder} may not import from here (imports flow one way)` }));
// Every shared/ file: only functions/ touches the Functions library, and nothing imports upwards or from tests.
const base = [
  { group: ['@azure/functions'], message: 'Only functions/ imports @azure/functions' },
  { group: ['**/functions/**', '**/test/**', '**/bench/**', '**/sandbox/**', '**/conformance/**'], message: 'shared/ never imports functions/, sandbox/, test/, bench/ or conformance/' },
];
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns: [...base, ...patterns] }] });

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '**/*.mjs', 'infra/'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      // Handlers implement async interfaces; some have nothing to await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error',
        { selector: 'ExportAllDeclaration', message: 'Named exports only, no export *' },
        // zod's `z` (and default) export is one object holding all of zod, every locale included: a bundle keeps it whole.
        { selector: "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)", message: "import * as z from 'zod': the bundle then keeps only the parts used" },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(),
  },
  {
    files: ['shared/{auth,config,http,log,tables,telemetry}/**/*.ts'],
    rules: restrict(...lower('mcp', 'policy', 'tools', 'graph', 'session', 'limits', 'audit', 'documents')),
  },
  // Document conversion runs in worker threads too: it stands on nothing but itself and its libraries.
  {
    files: ['shared/documents/**/*.ts'],
    rules: restrict(...lower('mcp', 'policy', 'tools', 'graph', 'session', 'limits', 'audit', 'auth', 'config', 'http', 'log', 'tables', 'telemetry')),
  },
  {
    files: ['shared/{tools,graph,session,limits,audit}/**/*.ts'],
    rules: restrict(...lower('mcp', 'policy')),
  },
  {
    // The policy decides over the tools' definitions; the server asks it.
    files: ['shared/policy/**/*.ts'],
    rules: restrict(...lower('mcp')),
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'sandbox/**/*.ts', 'conformance/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
