// Debian's chromium driven by playwright-core (DESIGN §9): the one place the
// project starts a browser — for the browser tests, the chromium conformance
// backends and `npm run bench:browser`. No browser is ever downloaded.

import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

/** Where Debian's package puts the browser; VM3_CHROMIUM overrides. */
export const CHROMIUM_PATH = process.env.VM3_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium";

/** DESIGN §9's flags: no sandbox (CI runs as root), no GPU, and nothing that reaches the network. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why chromium cannot be started here (with the install command), or undefined when it can. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `no chromium at ${CHROMIUM_PATH} (install it with: ${CHROMIUM_INSTALL}; or set VM3_CHROMIUM)`;
}

/** Starts chromium headless; throws with the install command when it is missing. */
export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing !== undefined) throw new Error(missing);
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_FLAGS] });
}
