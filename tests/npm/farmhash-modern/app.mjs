// farmhash-modern: 32- and 64-bit hashes of strings and bytes; 64-bit results are BigInts (i64).
import * as farmhash from "farmhash-modern";

for (const s of ["", "hello", "héllo wörld 🌍", "The quick brown fox jumps over the lazy dog".repeat(5)]) {
  console.log(
    JSON.stringify(s.slice(0, 20)),
    farmhash.fingerprint32(s),
    farmhash.fingerprint64(s),
    farmhash.hash32WithSeed(s, 123456),
    farmhash.hash64WithSeed(s, 18446744073709551615n),
    farmhash.bigqueryFingerprint(s),
  );
}
console.log(farmhash.fingerprint64(new Uint8Array([0, 1, 2, 255])));
try {
  farmhash.hash32WithSeed("x", -1);
} catch (e) {
  console.log("bad seed:", e.message);
}
