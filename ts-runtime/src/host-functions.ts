// The host functions an embedder gives a program (host.md §11.5): a record
// of functions by import name, and binding a program's host imports to them.
// A program whose import has no function cannot run — a usage error naming
// the import (host.md §11.1), raised before the entry starts.

/** A host function: called with the converted arguments, returns the result to convert (host.md §11.3). */
export type HostFunction = (...args: any[]) => unknown;

/** Host functions by import name; a host library module's namespace is one. */
export type HostFunctions = Readonly<Record<string, unknown>>;

/** A host import with no function to call: the run cannot start. */
export class HostLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HostLinkError";
  }
}

/** The function of each import name, in order; HostLinkError for the first one missing. */
export function bindHostImports(names: readonly string[], host: HostFunctions | undefined): HostFunction[] {
  return names.map((name) => {
    // Own properties only (a module namespace's are its exports): never Object.prototype's.
    const fn = host !== undefined && Object.hasOwn(host, name) ? host[name] : undefined;
    if (typeof fn !== "function") {
      const why = host === undefined ? "no host functions were given" : fn === undefined ? "the host functions have none of that name" : `it is a ${typeof fn}, not a function`;
      throw new HostLinkError(`host import @${name} cannot be bound: ${why} (host.md §11.1)`);
    }
    return fn as HostFunction;
  });
}
