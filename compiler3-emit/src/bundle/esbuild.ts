// Bundling the project's own TypeScript for the browser with esbuild: one ESM
// file per entry, no second hand-written copy. Used by `vm3 build --target
// browser` (the loader and its worker) and the playground.

import { build } from "esbuild";

export interface BundleOptions {
  /** Bare imports left to the page (e.g. "binaryen", loaded through an import map). */
  external?: readonly string[];
  minify?: boolean;
}

/** Bundles `entry` (a .ts file) and everything it imports into one ES module; → its text. */
export async function bundleEsm(entry: string, options: BundleOptions = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: options.minify ?? false,
    external: [...(options.external ?? [])],
    // binaryen.js probes `import("node:module")` only under Node.
    logLevel: "silent",
    legalComments: "none",
  });
  const out = result.outputFiles[0];
  if (out === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return out.text;
}
