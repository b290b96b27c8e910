import { defineConfig } from 'vite';

declare const process: { env: Record<string, string | undefined> };

// The dashboard is served by `gatehouse serve` at `/` under a strict CSP
// (script-src 'self'; style-src 'self'): no inline scripts or styles in the output.
// During development `npm run dev` proxies /api, /oauth, /.well-known and /healthz to
// a running server (GATEHOUSE_URL, default http://127.0.0.1:8080).
const target = process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:8080';
const proxy = Object.fromEntries(
  ['/api', '/oauth', '/.well-known', '/healthz'].map((p) => [p, { target, changeOrigin: false }]),
);

export default defineConfig({
  base: '/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy },
});
