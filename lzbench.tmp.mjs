import lz from "lz-string";
for (const n of [1e6, 4e6, 1.6e7, 6.4e7]) {
  const packed = lz.compressToEncodedURIComponent("a".repeat(n));
  const t = performance.now();
  const out = lz.decompressFromEncodedURIComponent(packed);
  console.log(n, "packed", packed.length, "ms", (performance.now() - t).toFixed(1), out.length);
}
// random-ish text: ratio for real code
const code = Array.from({length: 2000}, (_, i) => `const x${i} = Math.sin(${i}) * w[${i % 7}];`).join("\n");
console.log("code", code.length, lz.compressToEncodedURIComponent(code).length);
