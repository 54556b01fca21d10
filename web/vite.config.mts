// The dashboard's build: `node_modules/.bin/vite build web` (the bootstrap runs it) writes web/dist,
// which the API serves at / (api/web/dashboard-pages.ts). Nothing is fetched from anywhere at run time.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // elkjs' layout worker is one large file loaded by the campaign page only
    chunkSizeWarningLimit: 2000,
  },
  server: {
    // `vite web` for work on the pages, against an API on 8080
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
