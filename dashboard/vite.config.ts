// Builds the dashboard into dashboard/dist, which mteja serves at /dashboard. Everything is bundled: no CDN, no web fonts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The app is one screen of a tool used all day: one script and one stylesheet, cached for a year by hash.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/dashboard/api': 'http://127.0.0.1:3000' } },
});
