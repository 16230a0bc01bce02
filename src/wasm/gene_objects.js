// bioxenGeneObjects: parseGenome's gene objects from the columns src/wasm/genome.rs writes
// (GeneColumns). scripts/build-pkg.sh appends this function to both wasm-bindgen glue files,
// whose import shim calls it by name. Sliced from one string, the genes cost a tenth of what
// JSON.parse of their JSON text does.
//
// text:    every gene's id, name and product (those present), one after another
// lengths: per gene, the JS string lengths of id, name, product (Uint32Array view)
// numbers: per gene, start, end, length (Float64Array view)
// codes:   per gene, strand (bits 0-1), type (bits 2-4), essential (5), has name (6), has product (7)
// names:   "type type ...|strand strand ..." (the order of the codes)
// The arrays are views of wasm memory: read here, never kept.
function bioxenGeneObjects(text, lengths, numbers, codes, names) {
  const [types, strands] = names.split("|").map((list) => list.split(" "));
  const genes = [];
  let at = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    const k = 3 * i;
    const id = text.slice(at, (at += lengths[k]));
    const name = c & 64 ? text.slice(at, (at += lengths[k + 1])) : null;
    const product = c & 128 ? text.slice(at, (at += lengths[k + 2])) : null;
    genes.push({
      id,
      name,
      product,
      start: numbers[k],
      end: numbers[k + 1],
      strand: strands[c & 3],
      type: types[(c >> 2) & 7],
      length: numbers[k + 2],
      essential: (c & 32) !== 0,
    });
  }
  if (at !== text.length) throw new Error(`bioxenGeneObjects: ${at} of ${text.length} text units used`);
  return genes;
}
