// The TypeScript host for handle-ABI modules (handle-abi.md §10): the `vm3`
// imports answered by a ts-runtime Heap, and running an IR program's module.
export { cellArg, intArg, u32Arg } from "./args.ts";
export { compileHandleAbi, handleAbiContractErrors, hostImportErrors, hostSignatures } from "./contract.ts";
export { entryWasmResult } from "./entry-signature.ts";
export { capMemoryMaximum, MAX_MEMORY_PAGES, memoryLimitErrors } from "./memory-limit.ts";
export {
  type ModuleSections, ModuleSectionsError, readModuleSections, type SectionCustom, type SectionExport, type SectionFuncType, type SectionImport,
  type SectionLimits, type SectionValType, signatureText,
} from "./module-sections.ts";
export { type MemoryRef, readGuestBytes } from "./guest-memory.ts";
export { guestTrap } from "./guest-trap.ts";
export { vm3Imports, type Vm3ImportFunctions, type Vm3ImportOptions } from "./imports.ts";
export { DEFAULT_HEAP_CONFIG, HandleAbiInstance, hostImportNames, hostSignaturesOf, instantiateHandleAbi, instantiateOn, newHandleAbiInstance } from "./instance.ts";
export { type HostCallState, hostImports, HostReentryError } from "./host-imports.ts";
export {
  HOST_MODULE, HOST_SECTION, type HostCrossing, hostCrossing, HostSectionError, type HostSignature, hostSignatureText, type HostType, hostTypeError,
  hostTypeText, hostWasmType, readHostSection,
} from "./host-section.ts";
export { LivePeak } from "./live-peak.ts";
export { type EntryTypes, HandleAbiProgram, type HandleAbiRun } from "./program.ts";
export { type EntryFunction, type HeapPolicy, ProgramInstance } from "./program-instance.ts";
export { HandleAbiError, resultValue, trapResult } from "./result.ts";
export { IMPORT_NAMES, IMPORT_SIGNATURES, type ImportName, type ImportSignature, type WasmValType } from "./signatures.ts";
