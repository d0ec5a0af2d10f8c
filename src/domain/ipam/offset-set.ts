/**
 * Which offsets of a pool are taken: a bitmap over [0, size) in chunks of 4,096 bits that exist only once
 * something in them is taken, with a count per chunk. "Lowest free offset in [from, to)" skips full
 * chunks by their count and free ones by their absence, so it costs at most (chunks + words per chunk)
 * steps however full the pool is: allocation does not slow down as a pool fills.
 *
 * A clone shares its chunks with the original and copies one only when it first writes to it, so a
 * write batch can allocate on a private copy of a 1M-address pool for the cost of the chunks it touches.
 *
 * An offset may have more than one holder (two Services sharing a MetalLB address, a snapshot with a
 * duplicate); it is free again only when the last one lets go.
 */
const CHUNK_SHIFT = 12;
const CHUNK_BITS = 1 << CHUNK_SHIFT; // 4096 offsets
const WORDS_PER_CHUNK = CHUNK_BITS >>> 5; // 128 words of 32 bits

export class OffsetSet {
  private readonly chunks: (Uint32Array | undefined)[];
  /** Taken offsets per chunk. */
  private readonly used: Uint16Array;
  /**
   * Per chunk, a word index below which every word is full: scans start there, so filling a chunk
   * from the bottom costs O(1) per allocation rather than a walk over the words already full.
   */
  private readonly firstOpenWord: Uint8Array;
  /** Chunk i is ours to write (false: shared with the set this was cloned from). */
  private readonly owned: boolean[];
  /** Holders beyond the first, for offsets held more than once. */
  private readonly extra: Map<number, number>;
  private total = 0;
  /** Every chunk below this one is full: scans that start lower skip straight to it. */
  private firstOpenChunk = 0;
  private readonly reserved: number;
  /**
   * Per scan range [from, to) asked for before: the offset below which that range is known taken. A
   * pool scans from the same two places (its dynamic band and its static band) every time, so the next
   * scan starts where the last one found room, and a release below the mark moves it back.
   */
  private readonly marks: Map<number, { readonly from: number; at: number }>;

  /**
   * `reservedBelow`: offsets under it are never handed out (a network address, a gateway). They are
   * marked taken without being counted, so the chunk and word marks can pass them.
   */
  constructor(
    readonly size: number,
    from?: OffsetSet,
    reservedBelow = 0,
  ) {
    const n = Math.ceil(size / CHUNK_BITS);
    if (from) {
      this.chunks = from.chunks.slice();
      this.used = from.used.slice();
      this.firstOpenWord = from.firstOpenWord.slice();
      this.owned = new Array<boolean>(n).fill(false);
      this.extra = new Map(from.extra);
      this.total = from.total;
      this.firstOpenChunk = from.firstOpenChunk;
      this.reserved = from.reserved;
      this.marks = new Map([...from.marks].map(([k, m]) => [k, { ...m }]));
    } else {
      this.chunks = new Array<Uint32Array | undefined>(n).fill(undefined);
      this.used = new Uint16Array(n); // at most 4096 per chunk
      this.firstOpenWord = new Uint8Array(n);
      this.owned = new Array<boolean>(n).fill(true);
      this.extra = new Map();
      this.marks = new Map();
      const reserved = Math.min(reservedBelow, size);
      this.reserved = reserved;
      for (let o = 0; o < reserved; o++) {
        const chunk = this.writable(o >>> CHUNK_SHIFT);
        const bit = o & (CHUNK_BITS - 1);
        chunk[bit >>> 5] = chunk[bit >>> 5]! | (1 << (bit & 31));
        this.used[o >>> CHUNK_SHIFT] = this.used[o >>> CHUNK_SHIFT]! + 1;
      }
    }
  }

  /** A copy that shares chunks until either side writes. */
  clone(): OffsetSet {
    // The original must not write into chunks the clone now shares: it gives up ownership too.
    this.owned.fill(false);
    return new OffsetSet(this.size, this);
  }

  /** Distinct offsets taken. */
  get count(): number {
    return this.total;
  }

  has(offset: number): boolean {
    const chunk = this.chunks[offset >>> CHUNK_SHIFT];
    if (!chunk) return false;
    const bit = offset & (CHUNK_BITS - 1);
    return (chunk[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  /** Adds a holder of `offset`; true when the offset was free before. */
  add(offset: number): boolean {
    this.check(offset);
    if (this.has(offset)) {
      this.extra.set(offset, (this.extra.get(offset) ?? 0) + 1);
      return false;
    }
    const c = offset >>> CHUNK_SHIFT;
    const chunk = this.writable(c);
    const bit = offset & (CHUNK_BITS - 1);
    chunk[bit >>> 5] = chunk[bit >>> 5]! | (1 << (bit & 31));
    this.used[c] = this.used[c]! + 1;
    this.total++;
    return true;
  }

  /** Removes a holder of `offset`; true when that freed it. */
  delete(offset: number): boolean {
    if (offset < this.reserved || !this.has(offset)) return false;
    const more = this.extra.get(offset);
    if (more !== undefined) {
      if (more <= 1) this.extra.delete(offset);
      else this.extra.set(offset, more - 1);
      return false;
    }
    const c = offset >>> CHUNK_SHIFT;
    const chunk = this.writable(c);
    const bit = offset & (CHUNK_BITS - 1);
    chunk[bit >>> 5] = chunk[bit >>> 5]! & ~(1 << (bit & 31));
    if (bit >>> 5 < this.firstOpenWord[c]!) this.firstOpenWord[c] = bit >>> 5;
    if (c < this.firstOpenChunk) this.firstOpenChunk = c;
    for (const m of this.marks.values()) if (offset >= m.from && offset < m.at) m.at = offset;
    this.used[c] = this.used[c]! - 1;
    this.total--;
    return true;
  }

  /** The lowest free offset in [from, to), or -1 when all are taken. */
  lowestFree(from: number, to: number): number {
    to = Math.min(to, this.size);
    from = Math.max(0, from);
    const key = from * 0x200000 + to;
    let mark = this.marks.get(key);
    if (!mark) {
      mark = { from, at: from };
      this.marks.set(key, mark);
    }
    const found = this.scan(mark.at, to);
    mark.at = found < 0 ? to : found;
    return found;
  }

  private scan(from: number, to: number): number {
    let offset = from;
    // A scan from at or below the first open chunk may move that mark past the full chunks it meets.
    let moves = offset >>> CHUNK_SHIFT <= this.firstOpenChunk;
    if (moves) offset = Math.max(offset, this.firstOpenChunk << CHUNK_SHIFT);
    while (offset < to) {
      const c = offset >>> CHUNK_SHIFT;
      const chunk = this.chunks[c];
      if (!chunk || this.used[c] === 0) return offset;
      const chunkEnd = Math.min((c + 1) << CHUNK_SHIFT, this.size);
      const full = this.used[c] === chunkEnd - (c << CHUNK_SHIFT);
      if (moves) {
        if (full) this.firstOpenChunk = c + 1;
        else moves = false;
      }
      if (this.used[c]! < chunkEnd - (c << CHUNK_SHIFT)) {
        const found = this.lowestFreeInChunk(
          c,
          chunk,
          offset & (CHUNK_BITS - 1),
          chunkEnd - (c << CHUNK_SHIFT),
        );
        if (found >= 0) {
          const abs = (c << CHUNK_SHIFT) + found;
          return abs < to ? abs : -1;
        }
      }
      offset = chunkEnd;
    }
    return -1;
  }

  private lowestFreeInChunk(c: number, chunk: Uint32Array, fromBit: number, endBit: number): number {
    const open = this.firstOpenWord[c]!;
    const fromWord = fromBit >>> 5;
    // A scan that starts at or below the hint may move it: the words it passes full stay full below.
    let moves = fromWord <= open;
    for (let w = Math.max(fromWord, open); w < WORDS_PER_CHUNK; w++) {
      let free = ~chunk[w]! >>> 0;
      if (free === 0) continue;
      if (moves) {
        this.firstOpenWord[c] = w; // the first word with room: all below it are full
        moves = false;
      }
      if (w === fromWord) free &= (0xffffffff << (fromBit & 31)) >>> 0;
      if (free === 0) continue;
      // Lowest set bit of `free`.
      const bit = (w << 5) + (31 - Math.clz32(free & -free));
      return bit < endBit ? bit : -1;
    }
    if (moves) this.firstOpenWord[c] = WORDS_PER_CHUNK;
    return -1;
  }

  private writable(c: number): Uint32Array {
    let chunk = this.chunks[c];
    if (!chunk) {
      chunk = new Uint32Array(WORDS_PER_CHUNK);
      this.chunks[c] = chunk;
      this.owned[c] = true;
    } else if (!this.owned[c]) {
      chunk = chunk.slice();
      this.chunks[c] = chunk;
      this.owned[c] = true;
    }
    return chunk;
  }

  private check(offset: number): void {
    if (!Number.isInteger(offset) || offset < this.reserved || offset >= this.size) {
      throw new RangeError(`offset ${offset} is outside [${this.reserved}, ${this.size})`);
    }
  }
}
