// ESLint: typescript-eslint (no `any`), the rules of React hooks in the renderer, and the import
// boundaries described in docs/architecture.md ("Modules and their direction"): renderer → shared ← main;
// electron → main, shared; src/main never imports electron; src/shared imports nothing of ours.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const upTo = (dirs) => `^(\\.\\./)+(${dirs.join('|')})(/|$)`;
const ELECTRON_BAN = {
  name: 'electron',
  message: 'Only electron/ may import electron (src/main must run under plain Node).',
};

const MAIN = [
  [upTo(['renderer', 'electron']), 'src/main may import src/shared only (never the renderer or the shell).'],
];
const DRIVER_RULE =
  'src/main/driver imports only src/shared and its own modules (the rest of the host reaches it through driver/ports.ts).';

// Barrel-only imports across modules: a file of one module of src/main reaches another module through
// that module's index.ts (`../workspace/index.js`), never one of its files (`../workspace/manager.js`);
// files inside a module import each other directly. `allowed` names paths inside other modules that a
// module may still import directly (e.g. 'driver/mcp-config'), each with its reason where it is used;
// `banned` names modules a layer rule already refuses outright (one message per import, not two).
const MAIN_MODULES = ['cli', 'driver', 'host', 'nats', 'permission', 'server', 'store', 'workspace'];
const BARREL_RULE =
  'import another module of src/main through its index.ts (e.g. ../workspace/index.js), never one of its files.';
const barrelOnly = (module, { allowed = [], banned = [], prefix = module === null ? '\\./' : '(\\.\\./)+' } = {}) => {
  const deep = MAIN_MODULES.filter((other) => other !== module && !banned.includes(other)).map((other) => {
    const exempt = allowed
      .filter((path) => path.startsWith(`${other}/`))
      .map((path) => `|${path.slice(other.length + 1)}(\\.js|\\.ts)?(/|$)`)
      .join('');
    return `${other}/(?!index(\\.js|\\.ts)?$${exempt})`;
  });
  return [`^${prefix}(${deep.join('|')})`, BARREL_RULE];
};

// no-restricted-imports sees static imports and re-exports only; the same patterns reach dynamic
// `import('…')` through no-restricted-syntax (an esquery regex cannot hold a bare slash: \x2F is one).
const dynamicImport = ([regex, message]) => ({
  selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`,
  message,
});
const boundary = (files, regexes, extra = {}) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: extra.paths ?? [],
        patterns: regexes.map(([regex, message]) => ({ regex, message })),
      },
    ],
    'no-restricted-syntax': ['error', ...regexes.map(dynamicImport)],
  },
});

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'build/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  { files: ['src/renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  // The rules of hooks and the plugin's React Compiler rules (refs, purity, set-state-in-effect...),
  // all as errors. Left off: incompatible-library (it only says the compiler would skip components
  // using @tanstack/react-virtual; we do not compile with it), and in the key guard, refs and purity:
  // it reads the moment a prompt appeared (performance.now, a ref) while rendering, on purpose, so a
  // key press is judged against the prompt on screen; moving that out of render is a redesign.
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...Object.fromEntries(Object.keys(reactHooks.configs['recommended-latest'].rules).map((rule) => [rule, 'error'])),
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    files: ['src/renderer/lib/key-guard.ts'],
    rules: { 'react-hooks/refs': 'off', 'react-hooks/purity': 'off' },
  },
  boundary(
    ['src/shared/**'],
    [
      [
        upTo(['main', 'renderer', 'electron', 'tests', 'bench', 'src']),
        'src/shared imports nothing of ours outside src/shared.',
      ],
      ['^node:', 'src/shared runs in the renderer too: no Node built-ins.'],
    ],
    { paths: [ELECTRON_BAN] },
  ),
  boundary(
    ['src/renderer/**'],
    [
      [
        upTo(['main', 'electron']),
        'src/renderer may import src/shared only (talk to the host through the api client).',
      ],
      ['^node:', 'src/renderer runs in a sandboxed page: no Node built-ins.'],
    ],
    { paths: [ELECTRON_BAN] },
  ),
  boundary(['src/main/**'], MAIN, { paths: [ELECTRON_BAN] }),
  // Type-aware rules on the host: a promise nobody awaits or catches (its rejection would be
  // unhandled and could stop the host), or one passed where a void callback is expected.
  {
    files: ['src/main/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // Layers inside src/main (docs/architecture.md). A later block replaces an earlier one's rule for the
  // same file, so each module's block repeats MAIN and adds its own barrel rule (BARREL_ONLY). The driver
  // depends only on src/shared and its own files (its ports are how the rest reaches it); store and
  // workspace never import the host; the host never imports the CLI or the server (they use the host, not
  // the reverse); the CLI never imports host/handlers/ (it shares their logic through host/services/).
  boundary(['src/main/driver/*.ts'], [...MAIN, ['^\\.\\./(?!\\.\\./)', DRIVER_RULE]], { paths: [ELECTRON_BAN] }),
  boundary(['src/main/driver/*/**'], [...MAIN, ['^\\.\\./\\.\\./(?!\\.\\./)', DRIVER_RULE]], { paths: [ELECTRON_BAN] }),
  boundary(['src/main/*.ts'], [...MAIN, barrelOnly(null)], { paths: [ELECTRON_BAN] }),
  ...['nats', 'server'].map((module) =>
    boundary([`src/main/${module}/**`], [...MAIN, barrelOnly(module)], { paths: [ELECTRON_BAN] }),
  ),
  // The permission service answers stdio prompts in the shape driver/permission-answer.ts owns; that file
  // alone, so that loading the permission module does not load the whole driver.
  boundary(['src/main/permission/**'], [...MAIN, barrelOnly('permission', { allowed: ['driver/permission-answer'] })], {
    paths: [ELECTRON_BAN],
  }),
  // The permission bridge is its own entry point, started by Claude Code for every goal (often from
  // source, through tsx): it loads the MCP names from driver/mcp-config.ts and the answer's shape from
  // driver/permission-answer.ts alone, not the whole driver.
  boundary(
    ['src/main/permission/bridge*.ts'],
    [...MAIN, barrelOnly('permission', { allowed: ['driver/mcp-config', 'driver/permission-answer'] })],
    {
      paths: [ELECTRON_BAN],
    },
  ),
  ...['store', 'workspace'].map((module) =>
    boundary(
      [`src/main/${module}/**`],
      [
        ...MAIN,
        [upTo(['host', 'cli', 'server']), 'store and workspace never import the host, the CLI or the server.'],
        barrelOnly(module, { banned: ['host', 'cli', 'server'] }),
      ],
      { paths: [ELECTRON_BAN] },
    ),
  ),
  boundary(
    ['src/main/host/**'],
    [
      ...MAIN,
      [upTo(['cli', 'server']), 'the host never imports the CLI or the server (they import the host).'],
      barrelOnly('host', { banned: ['cli', 'server'] }),
    ],
    { paths: [ELECTRON_BAN] },
  ),
  // The CLI shares logic with the command handlers through host/services/, never by importing a
  // handler module (handlers answer the contract; services are what both need).
  boundary(
    ['src/main/cli/**'],
    [
      ...MAIN,
      [
        upTo(['host/handlers']),
        'the CLI never imports a command handler module: share the logic through src/main/host/services/.',
      ],
      barrelOnly('cli', { allowed: ['host/handlers'] }),
    ],
    { paths: [ELECTRON_BAN] },
  ),
  boundary(
    ['electron/**'],
    [
      [upTo(['src/renderer']), 'electron/ may import src/main and src/shared, not the renderer.'],
      // The shell is one more client of src/main's modules: through their index.ts, like the CLI.
      barrelOnly('electron', { prefix: '(\\.\\./)+src/main/' }),
    ],
  ),
  { files: ['scripts/**/*.mjs'], languageOptions: { globals: { ...globals.node } } },
);
