// Bit writer for JPEG entropy-coded segments (T.81 F.1.2.3): MSB first, 0xFF followed by a stuffed 0x00,
// the last byte padded with 1-bits. Thread-neutral, pure; shared by our lossless and DCT encoders.
export class JpegBitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >>> i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        if (this.acc === 0xff) this.bytes.push(0);
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  finish(): number[] {
    while (this.n !== 0) this.write(1, 1);
    return this.bytes;
  }
}
