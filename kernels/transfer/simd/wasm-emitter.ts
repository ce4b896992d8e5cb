/**
 * A small WebAssembly binary builder: enough to assemble the SIMD kernels at
 * run time from TypeScript (no toolchain, no build step). One module imports
 * `env.memory` and holds functions built with `FunctionBuilder`, whose helpers
 * emit the handful of opcodes the kernels use (i32 arithmetic, structured
 * loops, v128 loads/stores, f32x4 arithmetic incl. `relaxed_madd`).
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
/** A value type byte: I32, F32 or V128. */
export type ValType = number;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128 (i32 constants). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function utf8(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

/** SIMD opcodes (prefix 0xfd) by name. */
const SIMD = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  f32x4Splat: 0x13,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4Pmin: 0xea,
  f32x4Pmax: 0xeb,
  f32x4RelaxedMadd: 0x105,
} as const;

/**
 * Builds one function body. Locals are declared with `local()`; parameters are
 * locals 0…n−1. Memory ops take a byte offset (static, added to the address).
 */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly localTypes: ValType[] = [];

  constructor(
    readonly name: string | undefined,
    readonly params: ValType[],
    readonly results: ValType[] = [],
  ) {}

  /** A new local of `type`; returns its index. */
  local(type: ValType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  emit(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  get(l: number): this {
    return this.emit(0x20, ...uleb(l));
  }
  set(l: number): this {
    return this.emit(0x21, ...uleb(l));
  }
  tee(l: number): this {
    return this.emit(0x22, ...uleb(l));
  }
  i32(n: number): this {
    return this.emit(0x41, ...sleb(n));
  }
  f32(v: number): this {
    return this.emit(0x43, ...new Uint8Array(new Float32Array([v]).buffer));
  }
  add(): this {
    return this.emit(0x6a);
  }
  sub(): this {
    return this.emit(0x6b);
  }
  mul(): this {
    return this.emit(0x6c);
  }
  eq(): this {
    return this.emit(0x46);
  }
  ltS(): this {
    return this.emit(0x48);
  }
  ltU(): this {
    return this.emit(0x49);
  }
  geS(): this {
    return this.emit(0x4e);
  }
  and(): this {
    return this.emit(0x71);
  }
  /** `l = l + n` (i32). */
  inc(l: number, n: number): this {
    return this.get(l).i32(n).add().set(l);
  }
  /** `l = l + other` (i32 locals). */
  incBy(l: number, other: number): this {
    return this.get(l).get(other).add().set(l);
  }
  call(index: number): this {
    return this.emit(0x10, ...uleb(index));
  }

  /** `block … end` (br 0 inside jumps past the end). */
  block(body: () => void): this {
    this.emit(0x02, 0x40);
    body();
    return this.emit(0x0b);
  }
  /** `if … end` on the i32 on the stack. */
  if(body: () => void, otherwise?: () => void): this {
    this.emit(0x04, 0x40);
    body();
    if (otherwise) {
      this.emit(0x05);
      otherwise();
    }
    return this.emit(0x0b);
  }
  /**
   * `for (l = start; l < end; l += step) body` with i32 locals/constants;
   * `start`/`end` push their value. Signed compare; the body may not branch out.
   */
  forLoop(l: number, start: () => void, end: () => void, step: number | (() => void), body: () => void): this {
    start();
    this.set(l);
    this.block(() => {
      this.emit(0x03, 0x40); // loop
      this.get(l);
      end();
      this.geS().emit(0x0d, 1); // br_if out of the block
      body();
      this.get(l);
      if (typeof step === 'number') this.i32(step);
      else step();
      this.add().set(l);
      this.emit(0x0c, 0); // br to loop start
      this.emit(0x0b);
    });
    return this;
  }
  /** `do body while (cond)`: `cond` pushes an i32. */
  doWhile(body: () => void, cond: () => void): this {
    this.emit(0x03, 0x40);
    body();
    cond();
    this.emit(0x0d, 0, 0x0b);
    return this;
  }

  f32Load(offset = 0): this {
    return this.emit(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.emit(0x38, 2, ...uleb(offset));
  }
  v128Load(offset = 0): this {
    return this.emit(0xfd, ...uleb(SIMD.load), 4, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.emit(0xfd, ...uleb(SIMD.store), 4, ...uleb(offset));
  }
  load32Splat(offset = 0): this {
    return this.emit(0xfd, ...uleb(SIMD.load32Splat), 2, ...uleb(offset));
  }
  simd(op: keyof typeof SIMD): this {
    return this.emit(0xfd, ...uleb(SIMD[op]));
  }
  /** Stack `a b c` → `a·b + c`: one `relaxed_madd` (hardware FMA) or `mul` + `add`. */
  madd(relaxed: boolean): this {
    return relaxed ? this.simd('f32x4RelaxedMadd') : this.simd('f32x4Mul').simd('f32x4Add');
  }

  /** The body as a code-section entry. */
  encode(): number[] {
    const groups: number[] = [];
    let count = 0;
    for (let i = 0; i < this.localTypes.length; i++) {
      if (i > 0 && this.localTypes[i] === this.localTypes[i - 1]) groups[groups.length - 2]++;
      else {
        groups.push(1, this.localTypes[i]);
        count++;
      }
    }
    const localBytes: number[] = [...uleb(count)];
    for (let i = 0; i < groups.length; i += 2) localBytes.push(...uleb(groups[i]), groups[i + 1]);
    const body = [...localBytes, ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/**
 * A module importing `env.memory` (shared or not, initial = maximum = `pages`)
 * and exporting the named functions. `add` returns the function index to `call`.
 */
export class ModuleBuilder {
  private readonly functions: FunctionBuilder[] = [];

  constructor(
    readonly pages: number,
    readonly shared: boolean,
  ) {}

  add(fn: FunctionBuilder): number {
    this.functions.push(fn);
    return this.functions.length - 1;
  }

  /** Index the next added function will get (for calls to functions added later). */
  get nextIndex(): number {
    return this.functions.length;
  }

  encode(): Uint8Array {
    const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
    const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
    const sigs: string[] = [];
    const typeOf = this.functions.map((f) => {
      const sig = JSON.stringify([f.params, f.results]);
      if (!sigs.includes(sig)) sigs.push(sig);
      return sigs.indexOf(sig);
    });
    const types = sigs.map((s) => {
      const [p, r] = JSON.parse(s) as [number[], number[]];
      return [0x60, ...uleb(p.length), ...p, ...uleb(r.length), ...r];
    });
    const limits = [this.shared ? 0x03 : 0x01, ...uleb(this.pages), ...uleb(this.pages)];
    const imports = [[...utf8('env'), ...utf8('memory'), 0x02, ...limits]];
    const exports = this.functions.flatMap((f, i) => (f.name ? [[...utf8(f.name), 0x00, ...uleb(i)]] : []));
    const bytes = [
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      ...section(1, vec(types)),
      ...section(2, vec(imports)),
      ...section(3, vec(typeOf.map((t) => uleb(t)))),
      ...section(7, vec(exports)),
      ...section(10, vec(this.functions.map((f) => f.encode()))),
    ];
    return new Uint8Array(bytes);
  }
}
