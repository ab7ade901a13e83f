import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Maven passes the jar's static resource folder; a plain `npm run build` writes to dist/.
const outDir = process.env.CONSOLE_OUT_DIR ?? 'dist';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
