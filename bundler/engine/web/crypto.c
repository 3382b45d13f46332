/*
 * Web Crypto's native half.
 *
 * Randomness for crypto.getRandomValues and crypto.randomUUID: the host's secure source,
 * through WASI random_get (wasi-libc's getentropy, at most 256 bytes a call).
 *
 * Hashing for crypto.subtle.digest: SHA-1, SHA-256, SHA-384 and SHA-512 written from
 * FIPS 180-4 (section numbers below are its own). The message is hashed where it lies, in one
 * pass, while crypto.js's digest() runs: no JS can run between the moment crypto.js read the
 * view's extent and the end of the hash, so the result is that of the bytes at the call, which
 * is what the spec's copy ensures.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "quickjs.h"
#include "web.h"

/* native.randomFill(view): fill a typed array's bytes; the JS side checked its type and size. */
static JSValue js_random_fill(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t length;
    uint8_t *data = edgebox_view_bytes(c, argc > 0 ? argv[0] : JS_UNDEFINED, &length);
    if (!data) return JS_EXCEPTION;
    for (size_t done = 0; done < length;) {
        size_t n = length - done > 256 ? 256 : length - done;
        if (getentropy(data + done, n) != 0)
            return JS_ThrowInternalError(c, "the host's random source failed");
        done += n;
    }
    return JS_UNDEFINED;
}

/* ---- SHA (FIPS 180-4) ------------------------------------------------------------ */

/* 3.1: words are big-endian */
static inline uint32_t load32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t load64(const uint8_t *p) { return (uint64_t)load32(p) << 32 | load32(p + 4); }
static inline void store32(uint8_t *p, uint32_t x) {
    p[0] = (uint8_t)(x >> 24); p[1] = (uint8_t)(x >> 16); p[2] = (uint8_t)(x >> 8); p[3] = (uint8_t)x;
}
static inline void store64(uint8_t *p, uint64_t x) {
    store32(p, (uint32_t)(x >> 32));
    store32(p + 4, (uint32_t)x);
}

/* 3.2: the rotations */
static inline uint32_t rotl32(uint32_t x, int n) { return x << n | x >> (32 - n); }
static inline uint32_t rotr32(uint32_t x, int n) { return x >> n | x << (32 - n); }
static inline uint64_t rotr64(uint64_t x, int n) { return x >> n | x << (64 - n); }

/* 4.1: Ch, Maj and Parity, the same for 32- and 64-bit words */
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define PARITY(x, y, z) ((x) ^ (y) ^ (z))

/* 6.1.2: SHA-1's hash computation over n whole 64-byte blocks. The five working variables
 * rotate by renaming (five rounds a loop step), not by copying. */
static void sha1_blocks(uint32_t H[5], const uint8_t *p, size_t n) {
    uint32_t W[80];
    for (; n > 0; n--, p += 64) {
        for (int t = 0; t < 16; t++) W[t] = load32(p + 4 * t);
        for (int t = 16; t < 80; t++) W[t] = rotl32(W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16], 1);
        uint32_t a = H[0], b = H[1], c = H[2], d = H[3], e = H[4];
#define SHA1_ROUND(f, K, a, b, c, d, e, t)           \
    e += rotl32(a, 5) + f(b, c, d) + (K) + W[t];     \
    b = rotl32(b, 30);
#define SHA1_ROUNDS(first, f, K)                     \
    for (int t = first; t < first + 20; t += 5) {    \
        SHA1_ROUND(f, K, a, b, c, d, e, t)           \
        SHA1_ROUND(f, K, e, a, b, c, d, t + 1)       \
        SHA1_ROUND(f, K, d, e, a, b, c, t + 2)       \
        SHA1_ROUND(f, K, c, d, e, a, b, t + 3)       \
        SHA1_ROUND(f, K, b, c, d, e, a, t + 4)       \
    }
        SHA1_ROUNDS(0, CH, 0x5a827999u)
        SHA1_ROUNDS(20, PARITY, 0x6ed9eba1u)
        SHA1_ROUNDS(40, MAJ, 0x8f1bbcdcu)
        SHA1_ROUNDS(60, PARITY, 0xca62c1d6u)
#undef SHA1_ROUNDS
#undef SHA1_ROUND
        H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e;
    }
}

/* 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes */
static const uint32_t K256[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

/* 6.2.2: SHA-256's hash computation over n whole 64-byte blocks. The eight working variables
 * rotate by renaming (eight rounds a loop step), not by copying. */
static void sha256_blocks(uint32_t H[8], const uint8_t *p, size_t n) {
    uint32_t W[64];
    for (; n > 0; n--, p += 64) {
        for (int t = 0; t < 16; t++) W[t] = load32(p + 4 * t);
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = rotr32(W[t - 15], 7) ^ rotr32(W[t - 15], 18) ^ (W[t - 15] >> 3);
            uint32_t s1 = rotr32(W[t - 2], 17) ^ rotr32(W[t - 2], 19) ^ (W[t - 2] >> 10);
            W[t] = s1 + W[t - 7] + s0 + W[t - 16];
        }
        uint32_t a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
#define SHA256_ROUND(a, b, c, d, e, f, g, h, t)                                                        \
    {                                                                                                  \
        uint32_t T1 = h + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) + CH(e, f, g) + K256[t] + W[t]; \
        uint32_t T2 = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) + MAJ(a, b, c);                   \
        d += T1;                                                                                       \
        h = T1 + T2;                                                                                   \
    }
        for (int t = 0; t < 64; t += 8) {
            SHA256_ROUND(a, b, c, d, e, f, g, h, t)
            SHA256_ROUND(h, a, b, c, d, e, f, g, t + 1)
            SHA256_ROUND(g, h, a, b, c, d, e, f, t + 2)
            SHA256_ROUND(f, g, h, a, b, c, d, e, t + 3)
            SHA256_ROUND(e, f, g, h, a, b, c, d, t + 4)
            SHA256_ROUND(d, e, f, g, h, a, b, c, t + 5)
            SHA256_ROUND(c, d, e, f, g, h, a, b, t + 6)
            SHA256_ROUND(b, c, d, e, f, g, h, a, t + 7)
        }
#undef SHA256_ROUND
        H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
    }
}

/* 4.2.3: the first 64 bits of the fractional parts of the cube roots of the first 80 primes */
static const uint64_t K512[80] = {
    0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full, 0xe9b5dba58189dbbcull,
    0x3956c25bf348b538ull, 0x59f111f1b605d019ull, 0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull,
    0xd807aa98a3030242ull, 0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
    0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull, 0xc19bf174cf692694ull,
    0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull, 0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull,
    0x2de92c6f592b0275ull, 0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
    0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full, 0xbf597fc7beef0ee4ull,
    0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull, 0x06ca6351e003826full, 0x142929670a0e6e70ull,
    0x27b70a8546d22ffcull, 0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
    0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull, 0x92722c851482353bull,
    0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull, 0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull,
    0xd192e819d6ef5218ull, 0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
    0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull, 0x34b0bcb5e19b48a8ull,
    0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull, 0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull,
    0x748f82ee5defb2fcull, 0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
    0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull, 0xc67178f2e372532bull,
    0xca273eceea26619cull, 0xd186b8c721c0c207ull, 0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull,
    0x06f067aa72176fbaull, 0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
    0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull, 0x431d67c49c100d4cull,
    0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull, 0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull,
};

/* 6.4.2: SHA-512's hash computation over n whole 128-byte blocks (SHA-384 too: 6.5) */
static void sha512_blocks(uint64_t H[8], const uint8_t *p, size_t n) {
    uint64_t W[80];
    for (; n > 0; n--, p += 128) {
        for (int t = 0; t < 16; t++) W[t] = load64(p + 8 * t);
        for (int t = 16; t < 80; t++) {
            uint64_t s0 = rotr64(W[t - 15], 1) ^ rotr64(W[t - 15], 8) ^ (W[t - 15] >> 7);
            uint64_t s1 = rotr64(W[t - 2], 19) ^ rotr64(W[t - 2], 61) ^ (W[t - 2] >> 6);
            W[t] = s1 + W[t - 7] + s0 + W[t - 16];
        }
        uint64_t a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
#define SHA512_ROUND(a, b, c, d, e, f, g, h, t)                                                        \
    {                                                                                                  \
        uint64_t T1 = h + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) + CH(e, f, g) + K512[t] + W[t]; \
        uint64_t T2 = (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) + MAJ(a, b, c);                  \
        d += T1;                                                                                       \
        h = T1 + T2;                                                                                   \
    }
        for (int t = 0; t < 80; t += 8) {
            SHA512_ROUND(a, b, c, d, e, f, g, h, t)
            SHA512_ROUND(h, a, b, c, d, e, f, g, t + 1)
            SHA512_ROUND(g, h, a, b, c, d, e, f, t + 2)
            SHA512_ROUND(f, g, h, a, b, c, d, e, t + 3)
            SHA512_ROUND(e, f, g, h, a, b, c, d, t + 4)
            SHA512_ROUND(d, e, f, g, h, a, b, c, t + 5)
            SHA512_ROUND(c, d, e, f, g, h, a, b, t + 6)
            SHA512_ROUND(b, c, d, e, f, g, h, a, t + 7)
        }
#undef SHA512_ROUND
        H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
    }
}

/* 5.1: the padded message's last block or two, into `out`: the message's tail (its last
 * length % block bytes), a 1 bit, zeros, and the message's length in bits, big-endian, in the
 * last 8 bytes (64-byte blocks) or 16 (128-byte blocks). Returns the number of blocks. */
static size_t final_blocks(uint8_t out[256], const uint8_t *message, size_t length, size_t block) {
    size_t tail = length % block, field = block == 128 ? 16 : 8;
    size_t n = tail + 1 + field <= block ? 1 : 2;
    if (tail) memcpy(out, message + length - tail, tail);
    out[tail] = 0x80;
    memset(out + tail + 1, 0, n * block - tail - 1);
    uint64_t bytes = (uint64_t)length;
    store64(out + n * block - 8, bytes << 3);
    if (field == 16) store64(out + n * block - 16, bytes >> 61);
    return n;
}

/* 5.3.1 */
static void sha1(const uint8_t *message, size_t length, uint8_t *out) {
    uint32_t H[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};
    uint8_t last[256];
    sha1_blocks(H, message, length / 64);
    sha1_blocks(H, last, final_blocks(last, message, length, 64));
    for (int i = 0; i < 5; i++) store32(out + 4 * i, H[i]);
}

/* 5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes */
static void sha256(const uint8_t *message, size_t length, uint8_t *out) {
    uint32_t H[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                     0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
    uint8_t last[256];
    sha256_blocks(H, message, length / 64);
    sha256_blocks(H, last, final_blocks(last, message, length, 64));
    for (int i = 0; i < 8; i++) store32(out + 4 * i, H[i]);
}

/* SHA-512's computation from the initial value H, its result truncated to `words` words (6.5) */
static void sha512_from(uint64_t H[8], const uint8_t *message, size_t length, uint8_t *out, int words) {
    uint8_t last[256];
    sha512_blocks(H, message, length / 128);
    sha512_blocks(H, last, final_blocks(last, message, length, 128));
    for (int i = 0; i < words; i++) store64(out + 8 * i, H[i]);
}

/* 5.3.4: the square roots of the 9th to 16th primes, 64 bits of their fractional parts */
static void sha384(const uint8_t *message, size_t length, uint8_t *out) {
    uint64_t H[8] = {0xcbbb9d5dc1059ed8ull, 0x629a292a367cd507ull, 0x9159015a3070dd17ull, 0x152fecd8f70e5939ull,
                     0x67332667ffc00b31ull, 0x8eb44a8768581511ull, 0xdb0c2e0d64f98fa7ull, 0x47b5481dbefa4fa4ull};
    sha512_from(H, message, length, out, 6);
}

/* 5.3.5: the square roots of the first 8 primes, 64 bits of their fractional parts */
static void sha512(const uint8_t *message, size_t length, uint8_t *out) {
    uint64_t H[8] = {0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull, 0xa54ff53a5f1d36f1ull,
                     0x510e527fade682d1ull, 0x9b05688c2b3e6c1full, 0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull};
    sha512_from(H, message, length, out, 8);
}

/* Web Crypto's names for them (its "recognized algorithm names" for digest) */
static const struct {
    const char *name;
    size_t size;
    void (*hash)(const uint8_t *message, size_t length, uint8_t *out);
} DIGESTS[] = {
    {"SHA-1", 20, sha1},
    {"SHA-256", 32, sha256},
    {"SHA-384", 48, sha384},
    {"SHA-512", 64, sha512},
};

/* An ASCII case-insensitive match, as Web Crypto normalizes algorithm names. */
static int same_name(const char *a, size_t alen, const char *b) {
    if (alen != strlen(b)) return 0;
    for (size_t i = 0; i < alen; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'a' && x <= 'z') x -= 'a' - 'A';
        if (x != y) return 0;
    }
    return 1;
}

/* native.digest(name, buffer, offset, length): the digest of buffer's bytes [offset, offset +
 * length), as a new ArrayBuffer, or null when no algorithm has that name. crypto.js read the
 * extent from the view's internal slots and checked the buffer is not shared; a length of 0
 * does not touch the buffer, which may be detached. */
static JSValue js_digest(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    if (argc < 4 || !JS_IsString(argv[0]) || !JS_IsNumber(argv[2]) || !JS_IsNumber(argv[3]))
        return JS_ThrowTypeError(c, "digest: bad arguments");
    size_t name_len;
    const char *name = JS_ToCStringLen(c, &name_len, argv[0]);
    if (!name) return JS_EXCEPTION;
    int found = -1;
    for (int i = 0; i < (int)(sizeof(DIGESTS) / sizeof(DIGESTS[0])) && found < 0; i++)
        if (same_name(name, name_len, DIGESTS[i].name)) found = i;
    JS_FreeCString(c, name);
    if (found < 0) return JS_NULL;
    uint64_t offset, length;
    if (JS_ToIndex(c, &offset, argv[2]) || JS_ToIndex(c, &length, argv[3])) return JS_EXCEPTION;
    static const uint8_t nothing[1];
    const uint8_t *bytes = nothing;
    if (length > 0) {
        size_t size;
        uint8_t *data = JS_GetArrayBuffer(c, &size, argv[1]);
        if (!data) return JS_EXCEPTION;
        if (offset > size || length > size - offset)
            return JS_ThrowRangeError(c, "digest: the bytes lie outside their buffer");
        bytes = data + offset;
    }
    uint8_t out[64];
    DIGESTS[found].hash(bytes, (size_t)length, out);
    return JS_NewArrayBufferCopy(c, out, DIGESTS[found].size);
}

static const JSCFunctionListEntry crypto_funcs[] = {
    JS_CFUNC_DEF("randomFill", 1, js_random_fill),
    JS_CFUNC_DEF("digest", 4, js_digest),
};

void edgebox_web_crypto(JSContext *ctx, JSValueConst native) {
    JS_SetPropertyFunctionList(ctx, native, crypto_funcs, sizeof(crypto_funcs) / sizeof(crypto_funcs[0]));
}
