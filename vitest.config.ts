import { defineConfig } from 'vitest/config'
import { InterleavingSequencer } from './test/interleavingSequencer.ts'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Two files at a time, a browser file beside an integration or unit one where it can be
    // (test/interleavingSequencer.ts): most of an integration test's time is waiting, so this
    // nearly halves the suite's wall time on a 2-core machine. Every test binds its own random
    // port, temp directory, PostgreSQL schema and rooms, so files do not meet. (Vitest's default
    // leaves a core idle: cores − 1 workers.)
    maxWorkers: 2,
    sequence: { sequencer: InterleavingSequencer },
  },
})
