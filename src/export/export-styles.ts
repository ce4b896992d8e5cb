/** The stylesheet inlined into every exported page (no web fonts, no external resources). */
export const EXPORT_STYLES = `
:root { color-scheme: light; --fg: #1d1d1f; --muted: #6b6b75; --border: #e2e2e6; --code-bg: #f7f7f8; --accent: #2f6fd6; --error-bg: #fdf1f1; --error: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 960px; margin: 0 auto; padding: 32px 24px 64px; }
header.notebook-title { border-bottom: 1px solid var(--border); margin-bottom: 24px; }
header.notebook-title h1 { font-size: 1.6rem; margin: 0 0 12px; }
pre, code { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; font-size: 13px; }
.cell { margin: 0 0 18px; display: grid; grid-template-columns: 64px minmax(0, 1fr); column-gap: 8px; }
.cell > .prompt { color: var(--muted); font: 12px/1.9 ui-monospace, Menlo, Consolas, monospace; text-align: right; padding-top: 6px; }
.cell > .body { min-width: 0; }
.cell.markdown > .body, .cell.raw > .body { grid-column: 2; }
pre.code { margin: 0; padding: 8px 10px; background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; overflow-x: auto; white-space: pre; }
.outputs { margin-top: 6px; }
.outputs > * { margin: 0 0 6px; }
pre.stream, pre.text-output, pre.error-output { margin: 0; padding: 4px 2px; white-space: pre-wrap; word-break: break-word; }
pre.stderr { background: var(--error-bg); padding: 4px 8px; border-radius: 4px; }
pre.error-output { background: var(--error-bg); color: var(--fg); padding: 8px 10px; border-left: 3px solid var(--error); border-radius: 4px; }
.muted { color: var(--muted); }
img.image-output { max-width: 100%; height: auto; image-rendering: auto; }
.svg-output svg, .html-output svg { max-width: 100%; height: auto; }
.html-output table, .markdown table { border-collapse: collapse; margin: 4px 0; }
.html-output th, .html-output td, .markdown th, .markdown td { border: 1px solid var(--border); padding: 3px 8px; text-align: left; }
.markdown h1, .markdown h2, .markdown h3 { line-height: 1.25; }
.markdown img { max-width: 100%; }
.markdown blockquote { margin: 0; padding-left: 12px; border-left: 3px solid var(--border); color: var(--muted); }
.markdown :not(pre) > code { background: var(--code-bg); padding: 1px 4px; border-radius: 3px; }
.progress-output progress { width: 240px; vertical-align: middle; }
a { color: var(--accent); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
.tok-keyword, .tok-operatorKeyword { color: #8839ef; }
.tok-string, .tok-string2 { color: #2e7d32; }
.tok-number, .tok-bool, .tok-atom { color: #b35900; }
.tok-comment { color: #7c7f93; font-style: italic; }
.tok-typeName, .tok-className, .tok-namespace { color: #0b7285; }
.tok-variableName.tok-definition, .tok-propertyName.tok-definition { color: #1d4ed8; }
.tok-propertyName { color: #1e40af; }
.tok-meta, .tok-punctuation { color: #555; }
.tok-invalid { color: #b3261e; }
@media print { main { max-width: none; } pre.code { white-space: pre-wrap; } }
`;
