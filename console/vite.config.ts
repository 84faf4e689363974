import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// Built under /ui/ of vreg: the Maven build copies dist/ into the console jar, which host-runtime serves.
export default defineConfig({
  base: '/ui/',
  plugins: [vue()],
  build: {
    outDir: 'target/classes/vreg-console',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
