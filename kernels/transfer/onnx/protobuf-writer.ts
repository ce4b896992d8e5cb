/**
 * The smallest protocol-buffers encoder ONNX export needs: varints,
 * 32-bit floats and length-delimited fields (strings, bytes, messages).
 * Repeated scalars are written unpacked, which every proto2/proto3 parser
 * accepts.
 */
export class ProtoMessage {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  /** An int32/int64/enum/bool field (negative values as 10-byte two's complement). */
  varint(field: number, value: number | bigint): this {
    this.push(encodeVarint(BigInt(field) << 3n));
    this.push(encodeVarint(BigInt(value)));
    return this;
  }

  /** A `float` field (wire type 5). */
  float32(field: number, value: number): this {
    this.push(encodeVarint((BigInt(field) << 3n) | 5n));
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  /** A `bytes` field. */
  bytes(field: number, value: Uint8Array): this {
    this.push(encodeVarint((BigInt(field) << 3n) | 2n));
    this.push(encodeVarint(BigInt(value.length)));
    this.push(value);
    return this;
  }

  /** A `string` field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message field. */
  message(field: number, value: ProtoMessage): this {
    return this.bytes(field, value.toBytes());
  }

  /** The encoded message. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }
}

function encodeVarint(value: bigint): Uint8Array {
  let v = value < 0n ? value + (1n << 64n) : value;
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Uint8Array.from(out);
}
