// The index.html of a build folder (DESIGN §11): static markup and the
// bundled page.ts inlined as a module script that imports ./vm3-loader.js.
// Nothing external — no CDN, no fonts — so the folder works from any static
// server (file:// cannot start module workers, so it must be served).

/** Escapes text for HTML content and attribute values. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page for `title` (the program's file name), with `pageScript` (page.ts's bundle). */
export function indexHtml(title: string, pageScript: string): string {
  // A "</script" inside the script would end the element early (HTML's script data state).
  const script = pageScript.replace(/<\/script/gi, "<\\/script");
  const t = escapeHtml(title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>vm3: ${t}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 46rem; padding: 0 1rem; color: #1b1b1b; }
  h1 { font-size: 1.3rem; margin-bottom: 0.2rem; }
  code, output, input { font-family: ui-monospace, monospace; }
  fieldset { border: 1px solid #bbb; border-radius: 6px; margin: 0 0 0.8rem; }
  label { margin-right: 1rem; }
  input { width: 10rem; }
  button { font-size: 1rem; padding: 0.3rem 1.4rem; }
  .row { margin: 0.5rem 0; }
  #engine { font-weight: 600; }
  #reason, #time, #heap, #status, .alive { color: #555; font-size: 0.9rem; }
  output { font-size: 1.25rem; padding: 0.1rem 0.4rem; border-radius: 4px; background: #eef3ee; }
  output[data-kind="trap"], output[data-kind="error"] { background: #f8e4e4; }
  output[data-kind="timeout"], output[data-kind="refused"] { background: #f8f0d8; }
</style>
</head>
<body>
<h1>vm3: <code>${t}</code></h1>
<p class="row">engine: <span id="engine">loading…</span><br><span id="reason"></span></p>
<form id="form">
  <fieldset><legend>arguments of <code id="entry-name">…</code></legend><div id="args"></div></fieldset>
  <div class="row">
    <label>engine <select id="prefer">
      <option value="auto">auto (probe)</option>
      <option value="wasmgc">WasmGC</option>
      <option value="handle-abi">handle-ABI</option>
    </select></label>
    <label>time limit (ms) <input id="timeout" type="number" min="1" step="1"></label>
    <button id="run" type="submit" disabled>Run</button>
  </div>
</form>
<p class="row">result: <output id="result" data-kind="none"></output></p>
<p id="time"></p>
<p id="heap"></p>
<p id="status">idle</p>
<p class="alive">page alive: <span id="alive">0</span> ticks</p>
<noscript>This page needs JavaScript (module scripts, Web Workers, WebAssembly).</noscript>
<script type="module">
${script}
</script>
</body>
</html>
`;
}
