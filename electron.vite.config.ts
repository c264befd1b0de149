// Builds into out/: main (the desktop shell + the `overseer` CLI + the permission bridge, which
// ships outside the app archive), preload (CommonJS, as sandboxed preloads require) and renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { RENDERER_CSP } from './electron/window-options.js';

/**
 * The desktop window loads the renderer from file://, where no response header can carry a
 * Content-Security-Policy: the built index.html carries it as a meta tag (not in dev, where the
 * dev server's inline preamble would be blocked). Browser mode adds its own header on top.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'overseer-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: RENDERER_CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main.ts'),
          overseer: resolve(root, 'src/main/cli/overseer.ts'),
          'permission-bridge': resolve(root, 'src/main/permission/bridge.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
        // Our modules have no import-time effects that matter unless something of theirs is used
        // (no bare `import './x.js'`): saying so lets the bundler leave a module out of a chunk
        // when a command reaches it only through a module's index.ts. Without it the CLI's
        // `overseer goals` loaded the whole host (git, the driver, the server) with the store.
        // The set of modules in the build is the same with and without it.
        treeshake: { moduleSideEffects: [{ test: /[\\/]src[\\/]/, external: false, sideEffects: false }] },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rollupOptions: {
        input: { preload: resolve(root, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    base: './',
    plugins: [react(), contentSecurityPolicyMeta()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      rollupOptions: { input: resolve(root, 'src/renderer/index.html') },
    },
  },
});
