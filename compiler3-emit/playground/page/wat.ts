// The collapsible WAT view: two tabs (WasmGC, handle-ABI); opening it or
// switching tabs compiles the current program for that target if needed.

import type { Compiled, Target } from "./compile.ts";

/** Long modules are cut here (the page stays quick); the size line says so. */
const MAX_CHARS = 400_000;

export class WatView {
  readonly #details: HTMLDetailsElement;
  readonly #tabs: HTMLButtonElement[];
  readonly #text: HTMLElement;
  readonly #info: HTMLElement;
  readonly #get: (target: Target) => Compiled | undefined;
  #target: Target = "wasmgc";

  /** `get` returns the target's module for the current text (compiling it), or undefined when the text is invalid. */
  constructor(root: HTMLDetailsElement, get: (target: Target) => Compiled | undefined) {
    this.#details = root;
    this.#tabs = [...root.querySelectorAll<HTMLButtonElement>("[role=tab]")];
    this.#text = root.querySelector<HTMLElement>("#wat-text")!;
    this.#info = root.querySelector<HTMLElement>("#wat-info")!;
    this.#get = get;
    root.addEventListener("toggle", () => this.refresh());
    for (const tab of this.#tabs) {
      tab.addEventListener("click", () => {
        this.#target = tab.dataset.target as Target;
        this.refresh();
      });
    }
  }

  /** Shows the current module's text if the view is open. */
  refresh(): void {
    for (const tab of this.#tabs) tab.setAttribute("aria-selected", String(tab.dataset.target === this.#target));
    if (!this.#details.open) return;
    const m = this.#get(this.#target);
    if (m === undefined) {
      this.#info.textContent = "";
      this.#text.textContent = "(the program has errors: fix them to see its module)";
      return;
    }
    if (!m.ok) {
      this.#info.textContent = "";
      this.#text.textContent = `cannot compile: ${m.error}`;
      return;
    }
    const cut = m.wat.length > MAX_CHARS;
    this.#info.textContent = `${m.binary.byteLength.toLocaleString("en-US")} bytes · ${m.wat.split("\n").length.toLocaleString("en-US")} lines of WAT${cut ? " (shown in part)" : ""}`;
    this.#text.textContent = cut ? `${m.wat.slice(0, MAX_CHARS)}\n;; … cut here` : m.wat;
  }
}
