import path from 'node:path'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { serviceWorkerPlugin } from './scripts/serviceWorkerPlugin.ts'
import { zodJitlessPlugin } from './scripts/zodJitlessPlugin.ts'

const isTldrawModule = (id: string): boolean => /[\\/]node_modules[\\/]@?tldraw[\\/]/.test(id)

const serverPort = Number(process.env.PORT ?? 8787)
const serverOrigin = `http://127.0.0.1:${serverPort}`

export default defineConfig({
  root: path.resolve(import.meta.dirname, 'client'),
  publicDir: false,
  // zodJitlessPlugin emits a file the service worker's list must include: it comes first.
  plugins: [
    react(),
    zodJitlessPlugin(),
    serviceWorkerPlugin(path.resolve(import.meta.dirname, 'client/offline/serviceWorker.ts')),
  ],
  // The dev optimiser cannot pre-bundle the `?url` asset imports of @tldraw/assets.
  optimizeDeps: { exclude: ['@tldraw/assets'] },
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    // tldraw is one large lazy chunk by design; the first screen does not wait for it.
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // The split itself is automatic (each page and the board are dynamic imports, App.tsx and
        // board/loadBoard.ts); only the names are ours: the chunk holding tldraw is called so,
        // rather than after whichever module came first, for the benchmarks and the tests that
        // hold it back (test/e2e/lightFirstPage.test.ts).
        chunkFileNames: (chunk) =>
          chunk.moduleIds.some(isTldrawModule) ? 'assets/tldraw-[hash].js' : 'assets/[name]-[hash].js',
      },
    },
  },
  server: {
    port: 5173,
    host: '127.0.0.1',
    proxy: {
      // Vite's shorthand rewrites Host to the server's; keeping the page's lets the server see that
      // a POST /api/rooms comes from its own page (Origin = Host), not another site.
      '/api': { target: serverOrigin, changeOrigin: false },
      '/healthz': serverOrigin,
      '/sync': { target: serverOrigin, ws: true },
    },
  },
})
