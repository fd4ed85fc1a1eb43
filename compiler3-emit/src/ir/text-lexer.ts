// Tokens of the IR text form (ir-text.md §Lexical structure). The whole file
// is tokenised up front so the parser can look ahead (a plain op's operand
// list ends where `vN =` starts the next value) and pre-scan declarations
// (structs and functions may be used before they are declared). A lexical
// error becomes an "error" token, reported by the parser when it reaches it,
// so the message can name the function, block and value around it.

export type TokenKind = "word" | "number" | "string" | "punct" | "error" | "eof";

export interface Token {
  kind: TokenKind;
  /** The source text; for "string" the decoded value; for "error" the message. */
  text: string;
  line: number;
  column: number;
}

const PUNCT = new Set(["@", "(", ")", "{", "}", "[", "]", ",", ":", "="]);

function isWordStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c);
}
function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_.$]/.test(c);
}

/** Splits `src` into tokens; always ends with one "eof" token. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (): { line: number; column: number } => ({ line, column: i - lineStart + 1 });
  while (i < src.length) {
    const c = src[i] ?? "";
    if (c === "\n") {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#" || c === ";") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    const pos = at();
    if (c === "-" && src[i + 1] === ">") {
      out.push({ kind: "punct", text: "->", ...pos });
      i += 2;
      continue;
    }
    if (PUNCT.has(c)) {
      out.push({ kind: "punct", text: c, ...pos });
      i++;
      continue;
    }
    if (c === '"') {
      const r = readString(src, i);
      if (typeof r === "string") {
        out.push({ kind: "error", text: r, ...pos });
        break;
      }
      out.push({ kind: "string", text: r.value, ...pos });
      i = r.end;
      continue;
    }
    if (c === "-" || /[0-9]/.test(c)) {
      // Integers and f64 literals (`-1`, `1.5e-7`, `-inf`); validity is the parser's.
      let j = i + 1;
      while (j < src.length) {
        const d = src[j] ?? "";
        const prev = src[j - 1] ?? "";
        if (/[A-Za-z0-9.]/.test(d) || ((d === "+" || d === "-") && /[eE]/.test(prev))) {
          j++;
        } else break;
      }
      out.push({ kind: "number", text: src.slice(i, j), ...pos });
      i = j;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < src.length && isWordChar(src[j] ?? "")) j++;
      // `list<i64>`, `struct<Node>`, `phi.struct<Node>` are single tokens.
      if (src[j] === "<") {
        let k = j + 1;
        while (k < src.length && /[A-Za-z0-9_]/.test(src[k] ?? "")) k++;
        if (src[k] === ">") j = k + 1;
      }
      // `nan:0x…` (an f64 literal with a payload).
      if (src.slice(i, j) === "nan" && src.startsWith(":0x", j)) {
        j += 3;
        while (j < src.length && /[0-9A-Za-z]/.test(src[j] ?? "")) j++;
      }
      out.push({ kind: "word", text: src.slice(i, j), ...pos });
      i = j;
      continue;
    }
    out.push({ kind: "error", text: `unexpected character ${JSON.stringify(c)}`, ...pos });
    break;
  }
  out.push({ kind: "eof", text: "end of file", ...at() });
  return out;
}

/** Reads the string literal starting at `src[start] === '"'` (ir-text.md §Strings). */
function readString(src: string, start: number): { value: string; end: number } | string {
  let out = "";
  let i = start + 1;
  for (;;) {
    if (i >= src.length) return "unterminated string literal";
    const cp = src.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    if (ch === '"') return { value: out, end: i + 1 };
    if (ch === "\n" || ch === "\r") return "line break inside a string literal";
    if (ch !== "\\") {
      out += ch;
      i += ch.length;
      continue;
    }
    const e = src[i + 1];
    switch (e) {
      case "\\":
        out += "\\";
        break;
      case '"':
        out += '"';
        break;
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "u": {
        const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(src.slice(i + 2, i + 11));
        if (m === null) return "bad \\u escape (want \\u{1-6 hex digits})";
        const v = Number.parseInt(m[1] ?? "", 16);
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return `\\u{${m[1]}} is not a Unicode scalar value`;
        out += String.fromCodePoint(v);
        i += 2 + m[0].length;
        continue;
      }
      default:
        return `unknown escape \\${e ?? ""} in a string literal`;
    }
    i += 2;
  }
}
