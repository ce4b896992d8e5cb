/**
 * Finds where JSON text goes wrong, so a broken `.ipynb` gets an error with a
 * line and column (`JSON.parse` only sometimes says where). Runs only after
 * `JSON.parse` has failed; it is a plain recursive-descent scanner.
 */

export interface JsonSyntaxError {
  /** What was expected or found, e.g. `expected ',' or '}' after a property value`. */
  readonly problem: string;
  /** 1-based line and column (in UTF-16 units, as editors count them). */
  readonly line: number;
  readonly column: number;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** The first syntax error in `text`, or undefined if it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let pos = 0;
  const fail = (problem: string, at = pos): never => {
    throw new Stop(at, problem);
  };
  const found = () => (pos >= text.length ? 'the end of the file' : JSON.stringify(text[pos]));
  const unexpected = () => (pos >= text.length ? 'unexpected end of the file' : `unexpected ${JSON.stringify(text[pos])}`);
  const space = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, pos)) pos += word.length;
    else fail(unexpected());
  };
  const string = () => {
    pos++; // opening quote
    while (true) {
      if (pos >= text.length) fail('unterminated string');
      const c = text[pos];
      if (c === '"') return void pos++;
      if (c === '\\') {
        const e = text[pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('bad \\u escape in string');
          pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) pos += 2;
        else fail(`bad escape \\${e ?? ''} in string`);
      } else if (c < ' ') fail('control character (such as a raw newline) inside a string');
      else pos++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    if (!match) fail(unexpected());
    pos += match![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 1000) fail('nesting too deep');
    space();
    const c = text[pos];
    if (c === '{') {
      pos++;
      space();
      if (text[pos] === '}') return void pos++;
      while (true) {
        space();
        if (text[pos] !== '"') fail(`expected a double-quoted property name, found ${found()}`);
        string();
        space();
        if (text[pos] !== ':') fail(`expected ':' after a property name, found ${found()}`);
        pos++;
        value(depth + 1);
        space();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') return void pos++;
        else fail(`expected ',' or '}' after a property value, found ${found()}`);
      }
    }
    if (c === '[') {
      pos++;
      space();
      if (text[pos] === ']') return void pos++;
      while (true) {
        value(depth + 1);
        space();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') return void pos++;
        else fail(`expected ',' or ']' after an array element, found ${found()}`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    fail(unexpected());
  };
  try {
    value(0);
    space();
    if (pos < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    const column = e.offset - (before.lastIndexOf('\n') + 1) + 1;
    return { problem: e.problem, line, column };
  }
}
