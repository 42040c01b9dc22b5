import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // SPA: the API serves build/ and falls back to 200.html for client-side routes.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: '200.html', strict: true }),
    alias: {},
    output: { bundleStrategy: 'split' },
  },
  compilerOptions: { runes: true },
};

export default config;
