/**
 * Jupyter's own nbformat, driven from tests: validate notebooks with its
 * validator, read and re-write them with its reader and writer, and make
 * fixture notebooks with its `nbformat.v4` constructors, saved as
 * `nbformat.write` saves a file (which is what Jupyter does). Runs Debian's
 * `/usr/bin/python3` (the `python3` first on PATH may lack nbformat).
 * Each helper takes a batch, so a test file starts Python a few times, not
 * once per notebook.
 */
import { spawnSync } from 'node:child_process';

export const PYTHON = process.env.TAILOR_PYTHON ?? '/usr/bin/python3';
const INSTALL_HINT = 'install python3-nbformat (apt-get install python3-nbformat)';

/** Runs a Python script with `input` as JSON on stdin and returns its stdout parsed as JSON. */
function runPython<T>(script: string, input: unknown): T {
  const result = spawnSync(PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONWARNINGS: 'ignore' },
  });
  if (result.error) throw new Error(`could not run ${PYTHON} (${result.error.message}); ${INSTALL_HINT}`);
  if (result.status !== 0) {
    if (/No module named '?nbformat/.test(result.stderr)) throw new Error(`${PYTHON} has no nbformat module; ${INSTALL_HINT}`);
    throw new Error(`${PYTHON} failed (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
  }
  return JSON.parse(result.stdout) as T;
}

const PRELUDE = `
import sys, json, copy, io, logging
logging.disable(logging.CRITICAL)
import nbformat
from nbformat import v4
data = json.loads(sys.stdin.read())
def out(value):
    sys.stdout.write(json.dumps(value, ensure_ascii=True))
def file_text(nb, writer=nbformat.write):
    # nbformat.write is what Jupyter's contents manager calls to save a file (it adds the final newline).
    f = io.StringIO()
    writer(nb, f)
    return f.getvalue()
`;

/**
 * Validates each `.ipynb` text with Jupyter's validator; returns per text
 * the error message, or null when valid. Two checks, both must pass:
 * `nbformat.validate(nbformat.reads(text, as_version=4))` (what the issue
 * names) and, because that call upgrades old files and repairs duplicate
 * ids silently, a strict pass on the JSON exactly as written: nbformat 4.5,
 * unique cell ids, and `nbformat.validate` on the unconverted dict.
 */
export function validateIpynbs(texts: readonly string[]): (string | null)[] {
  return runPython<(string | null)[]>(
    `${PRELUDE}
results = []
for text in data:
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
        raw = json.loads(text)
        if raw.get('nbformat') != 4 or raw.get('nbformat_minor') != 5:
            raise ValueError('written as nbformat %r.%r, not 4.5' % (raw.get('nbformat'), raw.get('nbformat_minor')))
        ids = [c.get('id') for c in raw.get('cells', [])]
        dupes = sorted({i for i in ids if ids.count(i) > 1}, key=str)
        if dupes:
            raise ValueError('duplicate cell ids: %r' % dupes)
        nbformat.validate(copy.deepcopy(raw))
        results.append(None)
    except Exception as e:
        results.append(('%s: %s' % (type(e).__name__, e))[:3000])
out(results)
`,
    texts,
  );
}

/** Validates one `.ipynb` text; the error message, or null when valid. */
export function validateIpynb(text: string): string | null {
  return validateIpynbs([text])[0];
}

/**
 * What nbformat saves after opening each text: `nbformat.write(nbformat.reads(text, as_version=4), file)`.
 * With `upgrade`, older 4.x notebooks are first upgraded to 4.5 with `nbformat.v4.upgrade`
 * (fresh cell ids), as Tailor does on opening.
 */
export function nbformatRewrite(texts: readonly string[], options: { upgrade?: boolean } = {}): string[] {
  return runPython<string[]>(
    `${PRELUDE}
texts, upgrade = data
def load(t):
    nb = nbformat.reads(t, as_version=4)
    return v4.upgrade(nb, from_version=4, from_minor=nb.nbformat_minor) if upgrade else nb
out([file_text(load(t)) for t in texts])`,
    [texts, options.upgrade ?? false],
  );
}

/** nbformat's in-memory notebook for each text (lines joined), as JSON: `nbformat.reads(text, as_version=4)`. */
export function nbformatRead(texts: readonly string[]): unknown[] {
  return runPython<unknown[]>(`${PRELUDE}\nout([nbformat.reads(t, as_version=4) for t in data])`, texts);
}

/** A 1×1 PNG, base64, with the trailing newline IPython writes. */
export const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n';

/**
 * Fixture notebooks written by nbformat itself (`nbformat.v4.new_*` and
 * `nbformat.writes`), by name:
 * - `cell-types`: code, markdown and raw cells with Jupyter metadata.
 * - `outputs`: every output type, several MIME types including unknown and JSON ones.
 * - `attachments`: markdown and raw cells with image attachments.
 * - `unicode`: emoji, CJK, RTL, combining marks, Python line breaks (\r\n, \f, U+2028), control characters.
 * - `metadata`: a Python notebook with unknown nested metadata, floats and awkward key order.
 * - `tailor`: a notebook for Tailor's TypeScript kernel.
 * - `empty`: no cells, no metadata.
 * - `v4.4-no-ids`, `v4.0-no-ids`: older minor versions, cells without ids.
 */
export function nbformatFixtures(): Record<string, string> {
  return runPython<Record<string, string>>(
    `${PRELUDE}
png = data['png']
fx = {}

nb = v4.new_notebook()
nb.cells = [
    v4.new_markdown_cell('# Title\\n\\nSome *markdown*.', metadata={'tags': ['intro']}),
    v4.new_code_cell('const x = 1;\\nx + 1\\n', metadata={'collapsed': False, 'scrolled': 'auto', 'jupyter': {'source_hidden': True}}),
    v4.new_raw_cell('raw \\\\text{LaTeX}', metadata={'format': 'text/latex', 'raw_mimetype': 'text/latex'}),
    v4.new_code_cell(''),
    v4.new_markdown_cell(''),
    v4.new_code_cell('\\n\\n'),
]
fx['cell-types'] = nb

nb = v4.new_notebook()
nb.cells = [v4.new_code_cell('print("hi")\\n1 + 1', execution_count=3, outputs=[
    v4.new_output('stream', name='stdout', text='hello\\nworld\\n'),
    v4.new_output('stream', name='stderr', text='warning: careful'),
    v4.new_output('display_data', data={
        'text/plain': '<Figure>',
        'text/html': '<div>\\n  <b>bold</b>\\n</div>\\n',
        'image/png': png,
        'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg">\\n<rect/>\\n</svg>',
        'application/json': {'a': [1, 2.5, None, True], 'lines': ['x\\n', 'y']},
        'application/vnd.custom+json': ['kept\\n', 'as a list'],
        'application/x-unknown': 'opaque\\nvalue',
        'text/latex': '$x^2$',
        'application/javascript': 'console.log(1);\\nconsole.log(2);',
    }, metadata={'image/png': {'width': 10, 'height': 12}, 'isolated': True}),
    v4.new_output('execute_result', data={'text/plain': '2'}, execution_count=3, metadata={}),
    v4.new_output('error', ename='TypeError', evalue='x is not a function',
        traceback=['\\x1b[0;31mTypeError\\x1b[0m: x is not a function', '    at <cell>:2:1']),
]), v4.new_code_cell('display()', execution_count=None, outputs=[
    v4.new_output('display_data', data={'application/vnd.tailor.progress+json': {'done': 3, 'total': 10, 'label': 'epochs'}, 'text/plain': '3/10'}),
])]
fx['outputs'] = nb

nb = v4.new_notebook()
nb.cells = [
    v4.new_markdown_cell('![ant](attachment:ant.png) and ![logo](attachment:logo.svg)', attachments={
        'ant.png': {'image/png': png},
        'logo.svg': {'image/svg+xml': '<svg>\\n<circle r="1"/>\\n</svg>\\n'},
    }),
    v4.new_raw_cell('raw with attachment', attachments={'data.txt': {'text/plain': 'line 1\\nline 2\\n'}}),
]
fx['attachments'] = nb

nb = v4.new_notebook(metadata={'title': 'Ünïcödé 🎉 笔记本', '𝒳': 1, 'ｘ': 2, 'é': 3, 'z': 4})
nb.cells = [
    v4.new_markdown_cell('# 你好，世界 🌍\\nمرحبا بالعالم\\ne\\u0301 combining, ﬁ ligature, 👩‍👩‍👧 family\\n'),
    v4.new_code_cell('const s = "tab\\tend";\\r\\nconst t = "line\\u2028sep";\\fformfeed\\x0bvt\\x1cfs\\x85nel\\rcr', outputs=[
        v4.new_output('stream', name='stdout', text='日本語のテキスト\\n😀 grin\\r\\nbell\\x07 and nul-free\\n'),
        v4.new_output('display_data', data={'text/plain': 'Ω≈ç√∫\\u2029para', 'text/html': '<p>Привет</p>'}),
    ]),
]
fx['unicode'] = nb

nb = v4.new_notebook(metadata={
    'kernelspec': {'name': 'python3', 'display_name': 'Python 3 (ipykernel)', 'language': 'python'},
    'language_info': {'name': 'python', 'version': '3.11.2', 'mimetype': 'text/x-python',
        'codemirror_mode': {'name': 'ipython', 'version': 3}, 'file_extension': '.py', 'pygments_lexer': 'ipython3',
        'nbconvert_exporter': 'python'},
    'widgets': {'application/vnd.jupyter.widget-state+json': {'state': {}, 'version_major': 2}},
    'custom': {'10': 'ten', '2': 'two', 'B': 1, 'a': 2, '_': 3, 'floats': [0.1, 1e-07, 1.5e+22, 123.456, -2.5, 0.0001, 1e-05, 3.14159, 1234567890123.25],
               'ints': [0, -1, 42, 9007199254740991], 'nested': {'deep': {'deeper': [[], {}, [None]]}}, 'bools': [True, False]},
})
nb.cells = [v4.new_code_cell('import numpy as np', metadata={'tags': ['setup'], 'execution': {'iopub.status.busy': '2024-01-01T00:00:00.000Z'}})]
fx['metadata'] = nb

nb = v4.new_notebook(metadata={
    'kernelspec': {'name': 'tailor', 'display_name': 'TypeScript (Tailor)', 'language': 'typescript'},
    'language_info': {'name': 'typescript', 'file_extension': '.ts', 'mimetype': 'text/typescript',
        'codemirror_mode': 'typescript', 'pygments_lexer': 'typescript'},
})
nb.cells = [v4.new_markdown_cell('# Tailor'), v4.new_code_cell('const a: number = 1;\\na')]
fx['tailor'] = nb

fx['empty'] = v4.new_notebook()

texts = {name: file_text(n) for name, n in fx.items()}

for minor in (4, 0):
    old = copy.deepcopy(fx['cell-types'])
    old.cells = old.cells + copy.deepcopy(fx['outputs'].cells)
    for c in old.cells:
        del c['id']
    old.nbformat_minor = minor
    texts['v4.%d-no-ids' % minor] = file_text(old, nbformat.v4.nbjson.write)
out(texts)
`,
    { png: PNG_1PX },
  );
}

/** Python's `json.dumps(value, indent=1, sort_keys=True, separators=(',', ': '), ensure_ascii=False)` for each value, as nbformat writes JSON. */
export function pythonJsonDumps(values: readonly unknown[]): string[] {
  return runPython<string[]>(
    `${PRELUDE}\nout([json.dumps(v, indent=1, sort_keys=True, separators=(',', ': '), ensure_ascii=False) for v in data])`,
    values,
  );
}

/** Python's `str.splitlines(True)` for each text: the line splitting nbformat's writer uses. */
export function pythonSplitLines(texts: readonly string[]): string[][] {
  return runPython<string[][]>(`${PRELUDE}\nout([t.splitlines(True) for t in data])`, texts);
}
