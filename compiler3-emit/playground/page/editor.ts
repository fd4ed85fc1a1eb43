// The IR editor: CodeMirror 6 with line numbers, history, a small stream
// highlighter for the text form (ir-text.md) and a linter that runs the
// parser and validator (check.ts) after each pause in typing. Every check's
// result also goes to `onCheck`, which prints the error list and keeps the
// program to compile.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, HighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { type Diagnostic, forceLinting, linter, lintGutter } from "@codemirror/lint";
import { EditorState, Prec, type Text } from "@codemirror/state";
import { tags } from "@lezer/highlight";
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { type CheckResult, checkText, type Problem } from "./check.ts";

/** Milliseconds of quiet after a keystroke before the text is checked. */
export const CHECK_DELAY_MS = 300;

const KEYWORDS = new Set(["entry", "struct", "func", "jump", "branch", "return", "unreachable"]);

const irLanguage = StreamLanguage.define<null>({
  name: "vm3-ir",
  startState: () => null,
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match("#")) {
      stream.skipToEnd();
      return "comment";
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^@[A-Za-z_][A-Za-z0-9_]*/)) return "variableName.function";
    if (stream.match(/^b\d+\b/)) return "labelName";
    if (stream.match(/^v\d+\b/)) return "variableName";
    if (stream.match(/^-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)\b/)) return "number";
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_<>]+)*/);
    if (word) {
      const w = (word as RegExpMatchArray)[0];
      if (KEYWORDS.has(w)) return "keyword";
      if (/^(i64|f64|bool|str|unit|any|list|map|struct|f64arr|i64arr)$/.test(w)) return "typeName";
      return w.includes(".") || /^(phi|const|call|free)/.test(w) ? "operator" : null;
    }
    stream.next();
    return "punctuation";
  },
});

const irHighlight = HighlightStyle.define([
  { tag: tags.comment, color: "#6a737d", fontStyle: "italic" },
  { tag: tags.keyword, color: "#8a3ffc", fontWeight: "600" },
  { tag: tags.string, color: "#0a7d33" },
  { tag: tags.number, color: "#b35900" },
  { tag: tags.function(tags.variableName), color: "#005cc5" },
  { tag: tags.labelName, color: "#c0347a", fontWeight: "600" },
  { tag: tags.variableName, color: "#24292f" },
  { tag: tags.typeName, color: "#1f7a8c" },
  { tag: tags.operator, color: "#0550ae" },
]);

export interface IrEditor {
  readonly view: EditorView;
  text(): string;
  /** Replaces the whole text (a new program was picked); the check follows as for typing. */
  setText(text: string): void;
  /** Checks a pending change now (onCheck is called before this returns). */
  checkNow(): void;
}

export interface EditorHooks {
  /** Each check's result, with the text it checked. */
  onCheck(result: CheckResult, text: string): void;
  /** The text changed (before it is checked). */
  onChange(): void;
  /** Ctrl/Cmd+Enter in the editor. */
  onRunAll(): void;
}

export function createEditor(parent: HTMLElement, initial: string, hooks: EditorHooks): IrEditor {
  const { onCheck, onChange } = hooks;
  const lint = linter(
    (view) => {
      const text = view.state.doc.toString();
      const result = checkText(text);
      onCheck(result, text);
      return result.ok ? [] : result.problems.map((p) => diagnostic(view.state.doc, p));
    },
    { delay: CHECK_DELAY_MS },
  );
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        bracketMatching(),
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (hooks.onRunAll(), true) }])),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        irLanguage,
        syntaxHighlighting(irHighlight),
        lintGutter(),
        lint,
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange();
        }),
        EditorView.contentAttributes.of({ "aria-label": "IR program text", spellcheck: "false" }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 }, scrollIntoView: true });
    },
    checkNow: () => forceLinting(view),
  };
}

/** A problem's line (from its column, when known, to the line's end); a problem without a line marks line 1. */
function diagnostic(doc: Text, p: Problem): Diagnostic {
  const line = doc.line(Math.min(Math.max(p.line ?? 1, 1), doc.lines));
  const from = p.column === undefined ? line.from : Math.min(line.from + p.column - 1, line.to);
  const to = line.to > from ? line.to : Math.min(from + 1, doc.length);
  return { from, to, severity: "error", source: p.kind === "parse" ? "parser" : "validator", message: p.message };
}
