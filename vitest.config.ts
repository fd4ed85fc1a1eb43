import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["ts-runtime/test/**/*.test.ts", "conformance/test/**/*.test.ts", "compiler3-emit/test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
