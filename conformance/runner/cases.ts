// One row of the report: a case run on a backend (the --report JSON shape).
export type Status = "passed" | "failed" | "skipped";

export interface CaseResult {
  suite: string;
  name: string;
  backend: string;
  status: Status;
  detail: string;
}

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

export function tally(cases: readonly CaseResult[], backend: string, suite?: string): Tally {
  const t: Tally = { passed: 0, failed: 0, skipped: 0 };
  for (const c of cases) {
    if (c.backend === backend && (suite === undefined || c.suite === suite)) t[c.status]++;
  }
  return t;
}
