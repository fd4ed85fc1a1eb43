// The agreement matrix: suites down, backends across (DESIGN §8).
import { tally, type CaseResult } from "./cases.ts";

export function formatMatrix(cases: readonly CaseResult[], backends: readonly string[]): string {
  const suites = [...new Set(cases.map((c) => c.suite))];
  const header = ["suite", ...backends.map((b) => `${b} (pass/fail/skip)`)];
  const rows = suites.map((s) => [s, ...backends.map((b) => cell(cases, b, s))]);
  rows.push(["total", ...backends.map((b) => cell(cases, b))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function cell(cases: readonly CaseResult[], backend: string, suite?: string): string {
  const t = tally(cases, backend, suite);
  // A backend that does not run this kind of vector has no cases here.
  if (t.passed + t.failed + t.skipped === 0) return "—";
  const mark = t.failed > 0 ? "✗" : t.passed > 0 ? "✓" : " ";
  return `${t.passed}/${t.failed}/${t.skipped} ${mark}`;
}

/** The failures, at most `limit` per backend, for the end of the run. */
export function formatFailures(cases: readonly CaseResult[], limit: number): string {
  const failed = cases.filter((c) => c.status === "failed");
  const byBackend = new Map<string, CaseResult[]>();
  for (const c of failed) byBackend.set(c.backend, [...(byBackend.get(c.backend) ?? []), c]);
  const out: string[] = [];
  for (const [backend, list] of byBackend) {
    out.push(`${backend}: ${list.length} failed`);
    for (const c of list.slice(0, limit)) out.push(`  ${c.suite} / ${c.name}: ${c.detail}`);
    if (list.length > limit) out.push(`  … and ${list.length - limit} more (see --report)`);
  }
  return out.join("\n");
}
