import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CeilingKind } from './figures.ts';

/** The machine a bench ran on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  /** SIMD-relevant CPU flags present (avx2, fma, avx512f, …). */
  flags: string[];
  memoryGiB: number;
  os: string;
  /** 1/5/15-minute load averages at the start: other work on the machine skews absolute figures. */
  loadAverage: number[];
  node: string;
}

const SIMD_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_tile', 'neon', 'asimd'];

/** CPU model, cores, SIMD flags, memory, load. */
export function machineInfo(): MachineInfo {
  let flags: string[] = [];
  try {
    const line = fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => /^(flags|Features)\s*:/.test(l)) ?? '';
    const present = new Set(line.split(':')[1]?.trim().split(/\s+/) ?? []);
    flags = SIMD_FLAGS.filter((f) => present.has(f));
  } catch {
    // not Linux: leave the flags empty
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    flags,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
  };
}

/** A measured FP32 FMA ceiling. */
export interface Ceiling {
  kind: CeilingKind;
  /** Vector width of the FMA loop, bytes (64 = AVX-512, 32 = AVX2, 16 = 128-bit SIMD). */
  vectorBytes: number;
  threads: number;
  /** Best run, GFLOP/s: the ceiling. */
  gflops: number;
  runs: number[];
  compiler: string;
}

/**
 * Compiles `peak/fma-peak.c` with `gcc -O3 -march=native` at the widest
 * vector the CPU has (native) and at 16 bytes (128-bit SIMD, what wasm SIMD
 * maps to) and runs each on every core. Throws with what to install when gcc
 * is missing.
 */
export function measureCeilings(outDir: string, quick: boolean): Record<CeilingKind, Ceiling> {
  const source = path.join(import.meta.dirname, 'peak', 'fma-peak.c');
  let compiler: string;
  try {
    compiler = execFileSync('gcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    throw new Error('The ceilings need a C compiler: install gcc (`apt-get install -y gcc`) and run the bench again.');
  }
  const flags = machineInfo().flags;
  const widest = flags.includes('avx512f') ? 64 : flags.includes('avx') ? 32 : 16;
  const threads = os.availableParallelism();
  const run = (kind: CeilingKind, bytes: number): Ceiling => {
    const exe = path.join(outDir, `fma-peak-${bytes}`);
    execFileSync('gcc', ['-O3', '-march=native', `-DVEC_BYTES=${bytes}`, source, '-o', exe, '-lpthread']);
    const out = JSON.parse(execFileSync(exe, [String(threads), quick ? '5' : '9', quick ? '10000000' : '20000000'], { encoding: 'utf8' }));
    const runs = out.gflops as number[];
    return { kind, vectorBytes: bytes, threads, gflops: Math.max(...runs), runs, compiler };
  };
  return { native: run('native', widest), simd128: run('simd128', 16) };
}

/** Versions of what was measured. */
export function versionOf(pkg: string): string | undefined {
  try {
    const file = path.join(import.meta.dirname, '..', 'node_modules', pkg, 'package.json');
    return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  } catch {
    return undefined;
  }
}
