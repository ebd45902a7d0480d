/**
 * The view checksum (docs/PROTOCOL.md, "Checksum"): MurmurHash3 x86_32, seed 0, over the 32-bit words
 * `id, value_0 .. value_{n-1}` of each entity in ascending id order, each word one little-endian block.
 */

/** Mixes one word into the running hash `h`; both are u32 bit patterns held in int32. */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, wordCount: number): number {
  h ^= 4 * wordCount;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * @param ids    entity ids, ascending, `count` of them.
 * @param values per entity its field values (raw integers, int32), in schema order.
 * @return the checksum as a u32; 0 for an empty view.
 */
export function viewChecksum(ids: ArrayLike<number>, values: ArrayLike<ArrayLike<number>>, count: number): number {
  let h = 0;
  let words = 0;
  for (let e = 0; e < count; e++) {
    h = mix(h, ids[e]!);
    const row = values[e]!;
    for (let i = 0; i < row.length; i++) {
      h = mix(h, row[i]!);
    }
    words += 1 + row.length;
  }
  return finish(h, words);
}

/** The checksum of `count` entities stored row by row: `values[e * fieldCount + i]`. */
export function rowsChecksum(
  ids: ArrayLike<number>,
  values: ArrayLike<number>,
  count: number,
  fieldCount: number,
): number {
  let h = 0;
  for (let e = 0, at = 0; e < count; e++) {
    h = mix(h, ids[e]!);
    for (let i = 0; i < fieldCount; i++) {
      h = mix(h, values[at++]!);
    }
  }
  return finish(h, count * (1 + fieldCount));
}
