/*
 * DEFLATE (RFC 1951) in both directions, with the zlib (RFC 1950, Adler-32) and gzip
 * (RFC 1952, CRC-32) wrappers, for CompressionStream and DecompressionStream (the Compression
 * Standard); web/compression.js is the stream around it.
 *
 * Both sides are streaming state machines fed one chunk at a time. The inflater keeps the input
 * it could not use yet and resumes from a checkpoint: a block header, a length/distance pair or a
 * wrapper field is decoded whole or not at all, so a chunk may end anywhere (even inside a
 * Huffman code) and the next one carries on. Every read is checked against what is buffered and
 * every back-reference against what has been written, so corrupt input is an error, never a read
 * or write out of bounds. The deflater is LZ77 over a 32 KiB window with hash chains and a
 * one-step lazy match, and each block is written with whichever of fixed Huffman, dynamic
 * Huffman or stored costs fewest bits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* EDGEBOX_CODEC_ONLY: the codec without the natives, for the native fuzz harness
 * (tests/native/compression_fuzz.c), which builds it with sanitizers and supplies js_realloc */
#ifndef EDGEBOX_CODEC_ONLY
#include "quickjs.h"
#include "web.h"
#endif

enum { FORMAT_DEFLATE = 0, FORMAT_DEFLATE_RAW = 1, FORMAT_GZIP = 2 };

#define WSIZE 32768u
#define WMASK (WSIZE - 1)
#define MIN_MATCH 3
#define MAX_MATCH 258

/* ---- checksums ------------------------------------------------------------- */

static uint32_t crc_table[4][256];

static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = crc_table[0][n];
        for (int t = 1; t < 4; t++) {
            c = crc_table[0][c & 0xff] ^ (c >> 8);
            crc_table[t][n] = c;
        }
    }
}

/* CRC-32 as gzip defines it (RFC 1952 section 8), four bytes a step */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n) {
    uint32_t c = ~crc;
    while (n >= 4) {
        c ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        c = crc_table[3][c & 0xff] ^ crc_table[2][(c >> 8) & 0xff] ^ crc_table[1][(c >> 16) & 0xff] ^
            crc_table[0][c >> 24];
        p += 4;
        n -= 4;
    }
    while (n--) c = crc_table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

/* Adler-32 (RFC 1950 section 9): the sums are reduced every 5552 bytes, before they can overflow */
static uint32_t adler32_update(uint32_t adler, const uint8_t *p, size_t n) {
    uint32_t a = adler & 0xffff, b = adler >> 16;
    while (n > 0) {
        size_t k = n < 5552 ? n : 5552;
        n -= k;
        while (k--) {
            a += *p++;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    return b << 16 | a;
}

/* ---- the tables of RFC 1951 section 3.2.5 ---------------------------------- */

static const uint16_t LEN_BASE[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t LEN_EXTRA[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t DIST_BASE[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
                                       193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t DIST_EXTRA[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/* the order the code length code's lengths are sent in */
static const uint8_t CL_ORDER[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

static uint32_t reverse_bits(uint32_t code, int len) {
    uint32_t r = 0;
    for (int i = 0; i < len; i++) {
        r = (r << 1) | (code & 1);
        code >>= 1;
    }
    return r;
}

/* ---- Huffman decoding -------------------------------------------------------- */

#define FAST_BITS 10

typedef struct {
    uint16_t count[16];   /* codes of each length */
    uint16_t symbol[320]; /* symbols in canonical order */
    uint16_t fast[1 << FAST_BITS]; /* next FAST_BITS input bits -> symbol << 4 | length; 0: longer code */
} Huffman;

/* Build a decoding table from code lengths. An over-subscribed set is an error; an incomplete
 * one too, except for no code at all or a single one-bit code (RFC 1951 allows one distance
 * code), as zlib has it. */
static int huffman_build(Huffman *h, const uint8_t *lengths, int n) {
    uint16_t offs[16], next[16];
    memset(h->count, 0, sizeof h->count);
    for (int i = 0; i < n; i++) h->count[lengths[i]]++;
    h->count[0] = 0;
    int left = 1, used = 0;
    for (int len = 1; len < 16; len++) {
        left <<= 1;
        left -= h->count[len];
        if (left < 0) return -1;
        used += h->count[len];
    }
    if (left > 0 && !(used == 0 || (used == 1 && h->count[1] == 1))) return -1;
    offs[1] = 0;
    for (int len = 1; len < 15; len++) offs[len + 1] = offs[len] + h->count[len];
    for (int i = 0; i < n; i++)
        if (lengths[i]) h->symbol[offs[lengths[i]]++] = (uint16_t)i;
    memset(h->fast, 0, sizeof h->fast);
    /* the first code of each length, as in RFC 1951 3.2.2 (count[0] is 0) */
    uint32_t code = 0;
    for (int len = 1; len < 16; len++) {
        code = (code + h->count[len - 1]) << 1;
        next[len] = (uint16_t)code;
    }
    for (int i = 0; i < n; i++) {
        int len = lengths[i];
        if (!len) continue;
        uint32_t c = next[len]++;
        if (len > FAST_BITS) continue;
        uint32_t r = reverse_bits(c, len);
        for (uint32_t k = r; k < (1u << FAST_BITS); k += 1u << len) h->fast[k] = (uint16_t)(i << 4 | len);
    }
    return 0;
}

/* ---- inflate ------------------------------------------------------------------ */

enum { ST_HEADER, ST_BLOCK, ST_STORED, ST_CODES, ST_TRAILER, ST_DONE, ST_FAILED };
enum { R_OK = 0, R_NEED = 1, R_ERROR = -1 };

typedef struct {
    int format;
    int stage;
    int final;
    const char *error;
    /* input not yet consumed (from the last checkpoint on) */
    uint8_t *in;
    size_t in_len, in_cap, in_pos;
    uint64_t bits;
    int nbits;
    /* the last 32 KiB written, for back-references into earlier chunks */
    uint8_t window[WSIZE];
    uint64_t total; /* bytes written in all */
    /* this call's output */
    uint8_t *out;
    size_t out_len, out_cap;
    JSContext *ctx;
    uint32_t stored_left;
    uint32_t check, size;
    const Huffman *lit, *dist;
    Huffman dyn_lit, dyn_dist;
} Inflater;

static Huffman fixed_lit, fixed_dist;

static void fixed_init(void) {
    uint8_t l[288];
    int i = 0;
    for (; i < 144; i++) l[i] = 8;
    for (; i < 256; i++) l[i] = 9;
    for (; i < 280; i++) l[i] = 7;
    for (; i < 288; i++) l[i] = 8;
    huffman_build(&fixed_lit, l, 288);
    for (i = 0; i < 32; i++) l[i] = 5; /* 30 and 31 have codes but are invalid */
    huffman_build(&fixed_dist, l, 32);
}

/* pull whole bytes into the bit buffer while there is room and input */
static inline void fill(Inflater *s) {
    while (s->nbits <= 56 && s->in_pos < s->in_len) {
        s->bits |= (uint64_t)s->in[s->in_pos++] << s->nbits;
        s->nbits += 8;
    }
}

/* n (<= 32) bits into *v, or 0 when the input ends first */
static inline int need(Inflater *s, int n, uint32_t *v) {
    if (s->nbits < n) fill(s);
    if (s->nbits < n) return 0;
    *v = (uint32_t)(s->bits & ((1ull << n) - 1));
    s->bits >>= n;
    s->nbits -= n;
    return 1;
}

typedef struct {
    size_t in_pos;
    uint64_t bits;
    int nbits;
} Checkpoint;

static inline Checkpoint mark(const Inflater *s) { return (Checkpoint){s->in_pos, s->bits, s->nbits}; }
static inline void restore(Inflater *s, Checkpoint c) {
    s->in_pos = c.in_pos;
    s->bits = c.bits;
    s->nbits = c.nbits;
}

/* a symbol: >= 0, -1 when the input ends inside it, -2 for a code the table does not have */
static inline int decode(Inflater *s, const Huffman *h) {
    fill(s);
    uint16_t e = h->fast[s->bits & ((1u << FAST_BITS) - 1)];
    if (e && (e & 15) <= s->nbits) {
        s->bits >>= e & 15;
        s->nbits -= e & 15;
        return e >> 4;
    }
    int code = 0, first = 0, index = 0;
    for (int len = 1; len < 16; len++) {
        if (s->nbits < len) return -1;
        code |= (int)((s->bits >> (len - 1)) & 1);
        int count = h->count[len];
        if (code - count < first) {
            s->bits >>= len;
            s->nbits -= len;
            return h->symbol[index + (code - first)];
        }
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    return -2;
}

static int out_reserve(Inflater *s, size_t more) {
    if (s->out_cap - s->out_len >= more) return 0;
    size_t cap = s->out_cap ? s->out_cap : 65536;
    while (cap - s->out_len < more) {
        if (cap > SIZE_MAX / 2) return -1;
        cap *= 2;
    }
    uint8_t *p = js_realloc(s->ctx, s->out, cap);
    if (!p) return -1;
    s->out = p;
    s->out_cap = cap;
    return 0;
}

static int fail(Inflater *s, const char *message) {
    s->error = message;
    s->stage = ST_FAILED;
    return R_ERROR;
}

/* a byte of the wrapper (the bit buffer is byte-aligned there) */
static inline int byte(Inflater *s, uint32_t *v) { return need(s, 8, v); }

static int gzip_header(Inflater *s) {
    uint32_t b[10], v;
    uint32_t crc = 0;
    uint8_t raw[10];
    for (int i = 0; i < 10; i++) {
        if (!byte(s, &b[i])) return R_NEED;
        raw[i] = (uint8_t)b[i];
    }
    crc = crc32_update(crc, raw, 10);
    if (b[0] != 0x1f || b[1] != 0x8b) return fail(s, "The input is not gzip data (wrong magic bytes)");
    if (b[2] != 8) return fail(s, "The gzip data uses a compression method other than deflate");
    uint32_t flags = b[3];
    if (flags & 0xe0) return fail(s, "The gzip header has reserved flags set");
    if (flags & 4) { /* FEXTRA */
        uint32_t lo, hi;
        if (!byte(s, &lo) || !byte(s, &hi)) return R_NEED;
        uint8_t two[2] = {(uint8_t)lo, (uint8_t)hi};
        crc = crc32_update(crc, two, 2);
        for (uint32_t n = lo | hi << 8; n > 0; n--) {
            if (!byte(s, &v)) return R_NEED;
            uint8_t c = (uint8_t)v;
            crc = crc32_update(crc, &c, 1);
        }
    }
    for (int field = 8; field <= 16; field += 8) { /* FNAME, FCOMMENT: zero-terminated */
        if (!(flags & field)) continue;
        do {
            if (!byte(s, &v)) return R_NEED;
            uint8_t c = (uint8_t)v;
            crc = crc32_update(crc, &c, 1);
        } while (v != 0);
    }
    if (flags & 2) { /* FHCRC: the low 16 bits of the header's CRC-32 */
        uint32_t lo, hi;
        if (!byte(s, &lo) || !byte(s, &hi)) return R_NEED;
        if ((lo | hi << 8) != (crc & 0xffff)) return fail(s, "The gzip header's checksum does not match");
    }
    return R_OK;
}

static int zlib_header(Inflater *s) {
    uint32_t cmf, flg;
    if (!byte(s, &cmf) || !byte(s, &flg)) return R_NEED;
    if ((cmf & 15) != 8) return fail(s, "The input is not zlib (deflate) data: unknown compression method");
    if ((cmf >> 4) > 7) return fail(s, "The zlib header gives a window larger than 32 KiB");
    if ((cmf << 8 | flg) % 31 != 0) return fail(s, "The zlib header's check bits are wrong");
    if (flg & 0x20) return fail(s, "The zlib data needs a preset dictionary, which is not supported");
    return R_OK;
}

/* the code lengths of a dynamic block (RFC 1951 3.2.7) */
static int dynamic_header(Inflater *s) {
    uint32_t hlit, hdist, hclen, v;
    if (!need(s, 5, &hlit) || !need(s, 5, &hdist) || !need(s, 4, &hclen)) return R_NEED;
    hlit += 257;
    hdist += 1;
    hclen += 4;
    if (hlit > 286 || hdist > 30) return fail(s, "Too many length or distance codes in a dynamic block");
    uint8_t cl[19] = {0};
    for (uint32_t i = 0; i < hclen; i++) {
        if (!need(s, 3, &v)) return R_NEED;
        cl[CL_ORDER[i]] = (uint8_t)v;
    }
    Huffman clh;
    /* the code length code must be complete */
    {
        int left = 1;
        uint16_t count[8] = {0};
        for (int i = 0; i < 19; i++) count[cl[i]]++;
        for (int len = 1; len < 8; len++) {
            left <<= 1;
            left -= count[len];
            if (left < 0) break;
        }
        if (left != 0) return fail(s, "Invalid code length code in a dynamic block");
    }
    if (huffman_build(&clh, cl, 19) < 0) return fail(s, "Invalid code length code in a dynamic block");
    uint8_t lengths[286 + 30];
    uint32_t n = 0;
    while (n < hlit + hdist) {
        int sym = decode(s, &clh);
        if (sym == -1) return R_NEED;
        if (sym < 0) return fail(s, "Invalid code in a dynamic block's code lengths");
        if (sym < 16) {
            lengths[n++] = (uint8_t)sym;
            continue;
        }
        uint32_t repeat, value = 0;
        if (sym == 16) {
            if (n == 0) return fail(s, "A dynamic block repeats a code length before the first one");
            value = lengths[n - 1];
            if (!need(s, 2, &repeat)) return R_NEED;
            repeat += 3;
        } else if (sym == 17) {
            if (!need(s, 3, &repeat)) return R_NEED;
            repeat += 3;
        } else {
            if (!need(s, 7, &repeat)) return R_NEED;
            repeat += 11;
        }
        if (n + repeat > hlit + hdist) return fail(s, "A dynamic block's code lengths run past their count");
        while (repeat--) lengths[n++] = (uint8_t)value;
    }
    if (lengths[256] == 0) return fail(s, "A dynamic block has no end-of-block code");
    if (huffman_build(&s->dyn_lit, lengths, (int)hlit) < 0)
        return fail(s, "Invalid literal/length code lengths in a dynamic block");
    if (huffman_build(&s->dyn_dist, lengths + hlit, (int)hdist) < 0)
        return fail(s, "Invalid distance code lengths in a dynamic block");
    s->lit = &s->dyn_lit;
    s->dist = &s->dyn_dist;
    return R_OK;
}

/* The byte `dist` back from the end of the output (this call's, then the window's) */
static inline uint8_t back(const Inflater *s, size_t dist) {
    if (dist <= s->out_len) return s->out[s->out_len - dist];
    uint64_t at = s->total - (dist - s->out_len);
    return s->window[at & WMASK];
}

static int codes(Inflater *s) {
    for (;;) {
        Checkpoint c = mark(s);
        int sym = decode(s, s->lit);
        if (sym == -1) {
            restore(s, c);
            return R_NEED;
        }
        if (sym < 0) return fail(s, "Invalid literal/length code");
        if (sym < 256) {
            if (s->out_len == s->out_cap && out_reserve(s, 1) < 0) return R_ERROR;
            s->out[s->out_len++] = (uint8_t)sym;
            continue;
        }
        if (sym == 256) return R_OK;
        sym -= 257;
        if (sym >= 29) return fail(s, "Invalid length code");
        uint32_t extra = 0, dextra = 0;
        if (LEN_EXTRA[sym] && !need(s, LEN_EXTRA[sym], &extra)) {
            restore(s, c);
            return R_NEED;
        }
        size_t len = LEN_BASE[sym] + extra;
        int dsym = decode(s, s->dist);
        if (dsym == -1) {
            restore(s, c);
            return R_NEED;
        }
        if (dsym < 0 || dsym >= 30) return fail(s, "Invalid distance code");
        if (DIST_EXTRA[dsym] && !need(s, DIST_EXTRA[dsym], &dextra)) {
            restore(s, c);
            return R_NEED;
        }
        size_t dist = DIST_BASE[dsym] + dextra;
        uint64_t written = s->total + s->out_len;
        if (dist > written || dist > WSIZE) return fail(s, "A back-reference points before the start of the data");
        if (out_reserve(s, len) < 0) return R_ERROR;
        if (dist <= s->out_len) {
            uint8_t *d = s->out + s->out_len, *from = d - dist;
            for (size_t i = 0; i < len; i++) d[i] = from[i];
            s->out_len += len;
        } else {
            for (size_t i = 0; i < len; i++) {
                uint8_t b = back(s, dist);
                s->out[s->out_len++] = b;
            }
        }
    }
}

static int inflate_run(Inflater *s) {
    for (;;) {
        Checkpoint c = mark(s);
        int r = R_OK;
        switch (s->stage) {
        case ST_HEADER:
            if (s->format == FORMAT_GZIP) r = gzip_header(s);
            else if (s->format == FORMAT_DEFLATE) r = zlib_header(s);
            if (r == R_OK) s->stage = ST_BLOCK;
            break;
        case ST_BLOCK: {
            uint32_t final, type;
            if (!need(s, 1, &final) || !need(s, 2, &type)) {
                r = R_NEED;
                break;
            }
            s->final = (int)final;
            if (type == 0) {
                uint32_t len, nlen;
                s->bits >>= s->nbits & 7; /* to the byte boundary */
                s->nbits -= s->nbits & 7;
                if (!need(s, 16, &len) || !need(s, 16, &nlen)) {
                    r = R_NEED;
                    break;
                }
                if (len != (~nlen & 0xffff)) {
                    r = fail(s, "A stored block's length does not match its complement");
                    break;
                }
                s->stored_left = len;
                s->stage = ST_STORED;
            } else if (type == 1) {
                s->lit = &fixed_lit;
                s->dist = &fixed_dist;
                s->stage = ST_CODES;
            } else if (type == 2) {
                r = dynamic_header(s);
                if (r == R_OK) s->stage = ST_CODES;
            } else {
                r = fail(s, "Invalid block type");
            }
            break;
        }
        case ST_STORED:
            while (s->stored_left > 0 && s->nbits >= 8) {
                if (s->out_len == s->out_cap && out_reserve(s, 1) < 0) return R_ERROR;
                s->out[s->out_len++] = (uint8_t)(s->bits & 0xff);
                s->bits >>= 8;
                s->nbits -= 8;
                s->stored_left--;
            }
            if (s->stored_left > 0) {
                size_t n = s->in_len - s->in_pos;
                if (n > s->stored_left) n = s->stored_left;
                if (n == 0) return R_NEED;
                if (out_reserve(s, n) < 0) return R_ERROR;
                memcpy(s->out + s->out_len, s->in + s->in_pos, n);
                s->out_len += n;
                s->in_pos += n;
                s->stored_left -= (uint32_t)n;
                continue; /* a new checkpoint: what was copied stays copied */
            }
            s->stage = s->final ? ST_TRAILER : ST_BLOCK;
            break;
        case ST_CODES:
            r = codes(s);
            if (r == R_NEED) return R_NEED; /* codes() restored its own checkpoint */
            if (r == R_OK) s->stage = s->final ? ST_TRAILER : ST_BLOCK;
            break;
        case ST_TRAILER: {
            s->bits >>= s->nbits & 7;
            s->nbits -= s->nbits & 7;
            /* the checksum covers everything written so far, this call's output included */
            uint32_t check = s->format == FORMAT_GZIP ? crc32_update(s->check, s->out, s->out_len)
                                                      : adler32_update(s->check, s->out, s->out_len);
            if (s->format == FORMAT_GZIP) {
                uint32_t crc, isize;
                if (!need(s, 32, &crc) || !need(s, 32, &isize)) {
                    r = R_NEED;
                    break;
                }
                if (crc != check) {
                    r = fail(s, "The gzip data's CRC-32 does not match its contents");
                    break;
                }
                if (isize != (uint32_t)(s->total + s->out_len)) {
                    r = fail(s, "The gzip data's length does not match its contents");
                    break;
                }
            } else if (s->format == FORMAT_DEFLATE) {
                uint32_t b0, b1, b2, b3;
                if (!byte(s, &b0) || !byte(s, &b1) || !byte(s, &b2) || !byte(s, &b3)) {
                    r = R_NEED;
                    break;
                }
                if ((b0 << 24 | b1 << 16 | b2 << 8 | b3) != check) {
                    r = fail(s, "The zlib data's Adler-32 does not match its contents");
                    break;
                }
            }
            s->stage = ST_DONE;
            break;
        }
        case ST_DONE:
            return R_OK;
        default:
            return R_ERROR;
        }
        if (r == R_NEED) {
            restore(s, c);
            return R_NEED;
        }
        if (r == R_ERROR) return R_ERROR;
    }
}

/* Feed one chunk (finish: it is the last): 0 with what it gives in s->out[0, out_len), or -1
 * with s->error saying why (NULL: out of memory). Data after the end of the compressed stream is
 * an error, as the Compression Standard has it, and so is a stream that ends before its end. */
static int inflate_feed(Inflater *s, const uint8_t *data, size_t len, int finish) {
    s->out_len = 0;
    /* keep only the unconsumed input, then add the chunk */
    if (s->in_pos > 0) {
        memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
        s->in_len -= s->in_pos;
        s->in_pos = 0;
    }
    if (len > 0) {
        if (s->in_cap - s->in_len < len) {
            size_t cap = s->in_len + len;
            uint8_t *p = js_realloc(s->ctx, s->in, cap);
            if (!p) return -1;
            s->in = p;
            s->in_cap = cap;
        }
        memcpy(s->in + s->in_len, data, len);
        s->in_len += len;
    }
    if (inflate_run(s) == R_ERROR) return -1;
    /* the output joins the window and the checksum */
    if (s->stage != ST_DONE) { /* (the trailer, once read, has checked the rest) */
        if (s->format == FORMAT_GZIP) s->check = crc32_update(s->check, s->out, s->out_len);
        else if (s->format == FORMAT_DEFLATE) s->check = adler32_update(s->check, s->out, s->out_len);
    }
    size_t n = s->out_len, from = n > WSIZE ? n - WSIZE : 0;
    for (size_t i = from; i < n; i++) s->window[(s->total + i) & WMASK] = s->out[i];
    s->total += n;
    if (s->stage == ST_DONE && (s->nbits >= 8 || s->in_pos < s->in_len)) {
        fail(s, "Junk found after the end of the compressed data");
        return -1;
    }
    if (finish && s->stage != ST_DONE) {
        fail(s, "The compressed data ended before its end was reached (truncated input)");
        return -1;
    }
    return 0;
}

/* ---- deflate -------------------------------------------------------------------- */

#define HASH_BITS 15
#define HASH_SIZE (1u << HASH_BITS)
#define WIN_CAP (2 * WSIZE)
#define MIN_LOOKAHEAD (MAX_MATCH + MIN_MATCH + 1)
#define SYM_CAP 16384
#define MAX_CHAIN 128
#define GOOD_LENGTH 8
#define NICE_LENGTH 128
#define LAZY_LENGTH 16
#define TOO_FAR 4096

typedef struct {
    int format;
    int header_done;
    uint8_t window[WIN_CAP];
    size_t win_len, pos, block_start;
    int32_t head[HASH_SIZE];
    int32_t prev[WSIZE];
    /* the current block's symbols: a literal (dist 0) or a match (length, dist) */
    uint16_t sym_value[SYM_CAP];
    uint16_t sym_dist[SYM_CAP];
    size_t nsyms;
    int next_len, next_dist; /* the match at pos, when the last step found it (else -1) */
    uint32_t lit_freq[286], dist_freq[30];
    uint64_t bits;
    int nbits;
    uint8_t *out;
    size_t out_len, out_cap;
    JSContext *ctx;
    int oom;
    uint32_t check, size;
} Deflater;

static void put_byte(Deflater *d, uint8_t b) {
    if (d->out_len == d->out_cap) {
        size_t cap = d->out_cap ? d->out_cap * 2 : 65536;
        uint8_t *p = js_realloc(d->ctx, d->out, cap);
        if (!p) {
            d->oom = 1;
            return;
        }
        d->out = p;
        d->out_cap = cap;
    }
    d->out[d->out_len++] = b;
}

static inline void put_bits(Deflater *d, uint32_t value, int n) {
    d->bits |= (uint64_t)value << d->nbits;
    d->nbits += n;
    while (d->nbits >= 8) {
        put_byte(d, (uint8_t)d->bits);
        d->bits >>= 8;
        d->nbits -= 8;
    }
}

static void align_byte(Deflater *d) {
    if (d->nbits > 0) put_bits(d, 0, 8 - d->nbits);
}

static inline int length_code(int len) { /* 3..258 -> 0..28 */
    int c = 0;
    while (c < 28 && LEN_BASE[c + 1] <= len) c++;
    return c;
}

static inline int dist_code(int dist) { /* 1..32768 -> 0..29 */
    int c = 0;
    while (c < 29 && DIST_BASE[c + 1] <= dist) c++;
    return c;
}

static uint8_t LEN_CODE_OF[259];
static uint8_t DIST_CODE_LOW[513], DIST_CODE_HIGH[256];

static void deflate_tables_init(void) {
    for (int len = 3; len <= 258; len++) LEN_CODE_OF[len] = (uint8_t)length_code(len);
    for (int dist = 1; dist <= 512; dist++) DIST_CODE_LOW[dist] = (uint8_t)dist_code(dist);
    for (int i = 0; i < 256; i++) DIST_CODE_HIGH[i] = (uint8_t)dist_code(i * 128 + 1 > 32768 ? 32768 : i * 128 + 1);
}

static inline int dist_code_fast(int dist) {
    return dist <= 512 ? DIST_CODE_LOW[dist] : DIST_CODE_HIGH[(dist - 1) >> 7];
}

/* Code lengths for `freq` no longer than `limit`: Huffman's construction (two queues over
 * the symbols sorted by frequency); when the deepest leaf is too deep, the frequencies are
 * flattened (halved, kept non-zero) and the code built again. At least two symbols get a code,
 * so every code written is complete. */
static void build_lengths(const uint32_t *freq_in, int n, int limit, uint8_t *lengths) {
    uint32_t freq[320];
    int order[320], m = 0;
    for (int i = 0; i < n; i++) freq[i] = freq_in[i];
    for (int i = 0; i < n; i++) lengths[i] = 0;
    for (int i = 0; i < n && m < 2; i++)
        if (freq[i]) m++;
    if (m < 2) { /* fewer than two used: give the first two symbols (or the used one and another) a code */
        int given = 0;
        for (int i = 0; i < n && given < 2; i++)
            if (freq[i]) {
                lengths[i] = 1;
                given++;
            }
        for (int i = 0; i < n && given < 2; i++)
            if (!lengths[i]) {
                lengths[i] = 1;
                given++;
            }
        return;
    }
    for (;;) {
        m = 0;
        for (int i = 0; i < n; i++)
            if (freq[i]) order[m++] = i;
        /* insertion sort by frequency (n <= 286, once per block) */
        for (int i = 1; i < m; i++) {
            int v = order[i], j = i - 1;
            while (j >= 0 && freq[order[j]] > freq[v]) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = v;
        }
        /* nodes 0..m-1 are the leaves in order, m.. the internal nodes as they are made */
        uint64_t weight[640];
        int parent[640];
        for (int i = 0; i < m; i++) weight[i] = freq[order[i]];
        int leaf = 0, inner = m, made = m;
        for (int k = 0; k < m - 1; k++) {
            int pick[2];
            for (int t = 0; t < 2; t++) {
                if (leaf < m && (inner >= made || weight[leaf] <= weight[inner])) pick[t] = leaf++;
                else pick[t] = inner++;
            }
            weight[made] = weight[pick[0]] + weight[pick[1]];
            parent[pick[0]] = parent[pick[1]] = made;
            made++;
        }
        int depth[640];
        depth[made - 1] = 0;
        int deepest = 0;
        for (int i = made - 2; i >= 0; i--) {
            depth[i] = depth[parent[i]] + 1;
            if (i < m && depth[i] > deepest) deepest = depth[i];
        }
        if (deepest <= limit) {
            for (int i = 0; i < m; i++) lengths[order[i]] = (uint8_t)depth[i];
            return;
        }
        for (int i = 0; i < n; i++)
            if (freq[i]) freq[i] = (freq[i] >> 1) | 1;
    }
}

static void canonical_codes(const uint8_t *lengths, int n, uint16_t *codes) {
    uint16_t count[16] = {0}, next[16];
    for (int i = 0; i < n; i++) count[lengths[i]]++;
    count[0] = 0;
    uint32_t code = 0;
    for (int len = 1; len < 16; len++) {
        code = (code + count[len - 1]) << 1;
        next[len] = (uint16_t)code;
    }
    for (int i = 0; i < n; i++)
        codes[i] = lengths[i] ? (uint16_t)reverse_bits(next[lengths[i]]++, lengths[i]) : 0;
}

static void write_symbols(Deflater *d, const uint8_t *ll, const uint16_t *lc, const uint8_t *dl, const uint16_t *dc) {
    for (size_t i = 0; i < d->nsyms; i++) {
        int dist = d->sym_dist[i];
        if (dist == 0) {
            int lit = d->sym_value[i];
            put_bits(d, lc[lit], ll[lit]);
        } else {
            int len = d->sym_value[i];
            int code = LEN_CODE_OF[len];
            put_bits(d, lc[257 + code], ll[257 + code]);
            if (LEN_EXTRA[code]) put_bits(d, (uint32_t)(len - LEN_BASE[code]), LEN_EXTRA[code]);
            int dcode = dist_code_fast(dist);
            put_bits(d, dc[dcode], dl[dcode]);
            if (DIST_EXTRA[dcode]) put_bits(d, (uint32_t)(dist - DIST_BASE[dcode]), DIST_EXTRA[dcode]);
        }
    }
    put_bits(d, lc[256], ll[256]);
}

static uint8_t FIXED_LL[288], FIXED_DL[30];
static uint16_t FIXED_LC[288], FIXED_DC[30];

static void fixed_codes_init(void) {
    int i = 0;
    for (; i < 144; i++) FIXED_LL[i] = 8;
    for (; i < 256; i++) FIXED_LL[i] = 9;
    for (; i < 280; i++) FIXED_LL[i] = 7;
    for (; i < 288; i++) FIXED_LL[i] = 8;
    for (i = 0; i < 30; i++) FIXED_DL[i] = 5;
    canonical_codes(FIXED_LL, 288, FIXED_LC);
    canonical_codes(FIXED_DL, 30, FIXED_DC);
}

/* Run-length encode the code lengths (RFC 1951 3.2.7): symbols 0..18 with their extra bits */
static int rle_lengths(const uint8_t *lengths, int n, uint8_t *syms, uint8_t *extra) {
    int out = 0;
    for (int i = 0; i < n;) {
        int v = lengths[i], run = 1;
        while (i + run < n && lengths[i + run] == v) run++;
        i += run;
        if (v == 0) {
            while (run >= 11) {
                int k = run > 138 ? 138 : run;
                syms[out] = 18;
                extra[out++] = (uint8_t)(k - 11);
                run -= k;
            }
            if (run >= 3) {
                syms[out] = 17;
                extra[out++] = (uint8_t)(run - 3);
                run = 0;
            }
        } else {
            syms[out] = (uint8_t)v;
            extra[out++] = 0;
            run--;
            while (run >= 3) {
                int k = run > 6 ? 6 : run;
                syms[out] = 16;
                extra[out++] = (uint8_t)(k - 3);
                run -= k;
            }
        }
        while (run-- > 0) {
            syms[out] = (uint8_t)v;
            extra[out++] = 0;
        }
    }
    return out;
}

/* Emit the symbols gathered so far, covering window[block_start, end), as one block */
static void flush_block(Deflater *d, size_t end, int final) {
    d->lit_freq[256]++;
    /* the data's cost in bits under a code, extra bits included */
    uint64_t extra_bits = 0;
    for (int c = 0; c < 29; c++) extra_bits += (uint64_t)d->lit_freq[257 + c] * LEN_EXTRA[c];
    for (int c = 0; c < 30; c++) extra_bits += (uint64_t)d->dist_freq[c] * DIST_EXTRA[c];
    uint64_t fixed_cost = 3 + extra_bits;
    for (int i = 0; i < 286; i++) fixed_cost += (uint64_t)d->lit_freq[i] * FIXED_LL[i];
    for (int i = 0; i < 30; i++) fixed_cost += (uint64_t)d->dist_freq[i] * FIXED_DL[i];

    uint8_t ll[286], dl[30];
    build_lengths(d->lit_freq, 286, 15, ll);
    build_lengths(d->dist_freq, 30, 15, dl);
    int hlit = 286, hdist = 30;
    while (hlit > 257 && ll[hlit - 1] == 0) hlit--;
    while (hdist > 1 && dl[hdist - 1] == 0) hdist--;
    uint8_t all[316], syms[316], extra[316];
    memcpy(all, ll, (size_t)hlit);
    memcpy(all + hlit, dl, (size_t)hdist);
    int nsyms = rle_lengths(all, hlit + hdist, syms, extra);
    uint32_t cl_freq[19] = {0};
    for (int i = 0; i < nsyms; i++) cl_freq[syms[i]]++;
    uint8_t cl[19];
    build_lengths(cl_freq, 19, 7, cl);
    int hclen = 19;
    while (hclen > 4 && cl[CL_ORDER[hclen - 1]] == 0) hclen--;
    uint64_t dyn_cost = 3 + 5 + 5 + 4 + 3 * (uint64_t)hclen + extra_bits;
    for (int i = 0; i < nsyms; i++)
        dyn_cost += cl[syms[i]] + (syms[i] == 16 ? 2 : syms[i] == 17 ? 3 : syms[i] == 18 ? 7 : 0);
    for (int i = 0; i < 286; i++) dyn_cost += (uint64_t)d->lit_freq[i] * ll[i];
    for (int i = 0; i < 30; i++) dyn_cost += (uint64_t)d->dist_freq[i] * dl[i];

    size_t raw = end - d->block_start;
    uint64_t stored_cost = (uint64_t)(raw + 5 * (raw / 65535 + 1)) * 8 + 8;

    if (stored_cost < fixed_cost && stored_cost < dyn_cost) {
        const uint8_t *p = d->window + d->block_start;
        do {
            size_t n = raw > 65535 ? 65535 : raw;
            raw -= n;
            put_bits(d, final && raw == 0 ? 1 : 0, 1);
            put_bits(d, 0, 2);
            align_byte(d);
            put_bits(d, (uint32_t)n, 16);
            put_bits(d, (uint32_t)(~n & 0xffff), 16);
            for (size_t i = 0; i < n; i++) put_byte(d, p[i]);
            p += n;
        } while (raw > 0);
    } else if (fixed_cost <= dyn_cost) {
        put_bits(d, (uint32_t)final, 1);
        put_bits(d, 1, 2);
        write_symbols(d, FIXED_LL, FIXED_LC, FIXED_DL, FIXED_DC);
    } else {
        uint16_t lc[286], dc[30], cc[19];
        canonical_codes(ll, 286, lc);
        canonical_codes(dl, 30, dc);
        canonical_codes(cl, 19, cc);
        put_bits(d, (uint32_t)final, 1);
        put_bits(d, 2, 2);
        put_bits(d, (uint32_t)(hlit - 257), 5);
        put_bits(d, (uint32_t)(hdist - 1), 5);
        put_bits(d, (uint32_t)(hclen - 4), 4);
        for (int i = 0; i < hclen; i++) put_bits(d, cl[CL_ORDER[i]], 3);
        for (int i = 0; i < nsyms; i++) {
            put_bits(d, cc[syms[i]], cl[syms[i]]);
            if (syms[i] == 16) put_bits(d, extra[i], 2);
            else if (syms[i] == 17) put_bits(d, extra[i], 3);
            else if (syms[i] == 18) put_bits(d, extra[i], 7);
        }
        write_symbols(d, ll, lc, dl, dc);
    }
    d->nsyms = 0;
    memset(d->lit_freq, 0, sizeof d->lit_freq);
    memset(d->dist_freq, 0, sizeof d->dist_freq);
    d->block_start = end;
}

static inline uint32_t hash3(const uint8_t *p) {
    return ((uint32_t)p[0] << 10 ^ (uint32_t)p[1] << 5 ^ p[2]) & (HASH_SIZE - 1);
}

static inline void insert(Deflater *d, size_t p) {
    uint32_t h = hash3(d->window + p);
    d->prev[p & WMASK] = d->head[h];
    d->head[h] = (int32_t)p;
}

/* How far a[] and b[] agree from `from` on, at most `limit`: eight bytes a step (both lie
 * inside the window up to `limit`), the first difference found from the lowest set bit. */
static inline int common_length(const uint8_t *a, const uint8_t *b, int from, int limit) {
    int len = from;
    while (len + 8 <= limit) {
        uint64_t x, y;
        memcpy(&x, a + len, 8);
        memcpy(&y, b + len, 8);
        uint64_t diff = x ^ y;
        if (diff) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return len + (__builtin_ctzll(diff) >> 3);
#else
            break;
#endif
        }
        len += 8;
    }
    while (len < limit && a[len] == b[len]) len++;
    return len;
}

/* The longest earlier match for position p (its chain starts at `cur`), at most `limit` long and
 * longer than `shorter` (0 when none is): the lazy step asks only for a match longer than the one
 * it has, which lets most candidates be turned down on one byte, and with a fair one in hand it
 * searches a quarter of the chain, as zlib does. A 3-byte match more than 4 KiB back costs more
 * than three literals and is not taken. */
static int longest_match(Deflater *d, int32_t cur, size_t p, int limit, int shorter, int *dist_out) {
    const uint8_t *w = d->window;
    int best = shorter > MIN_MATCH - 1 ? shorter : MIN_MATCH - 1, chain = MAX_CHAIN;
    if (best >= limit) return 0;
    if (shorter >= GOOD_LENGTH) chain >>= 2;
    while (cur >= 0 && chain-- > 0) {
        size_t c = (size_t)cur;
        if (p - c > WSIZE - MIN_LOOKAHEAD || c >= p) break;
        if (w[c + best] == w[p + best] && w[c] == w[p] && w[c + 1] == w[p + 1]) {
            int len = common_length(w + c, w + p, 2, limit);
            if (len > best) {
                best = len;
                *dist_out = (int)(p - c);
                if (len >= limit || len >= NICE_LENGTH) break;
            }
        }
        int32_t next = d->prev[c & WMASK];
        if (next >= cur) break;
        cur = next;
    }
    if (best == MIN_MATCH && *dist_out > TOO_FAR) return 0;
    return best > shorter && best >= MIN_MATCH ? best : 0;
}

static void record_literal(Deflater *d, uint8_t b) {
    d->sym_value[d->nsyms] = b;
    d->sym_dist[d->nsyms++] = 0;
    d->lit_freq[b]++;
}

static void record_match(Deflater *d, int len, int dist) {
    d->sym_value[d->nsyms] = (uint16_t)len;
    d->sym_dist[d->nsyms++] = (uint16_t)dist;
    d->lit_freq[257 + LEN_CODE_OF[len]]++;
    d->dist_freq[dist_code_fast(dist)]++;
}

/* Encode what the window holds, keeping MIN_LOOKAHEAD bytes back unless finishing */
static void deflate_window(Deflater *d, int finishing) {
    d->next_len = -1;
    while (d->pos < d->win_len && (finishing || d->win_len - d->pos >= MIN_LOOKAHEAD)) {
        if (d->nsyms >= SYM_CAP - 2) flush_block(d, d->pos, 0);
        size_t p = d->pos, avail = d->win_len - p;
        int len = 0, dist = 0;
        if (avail >= MIN_MATCH) {
            uint32_t h = hash3(d->window + p);
            int32_t cur = d->head[h];
            d->prev[p & WMASK] = cur;
            d->head[h] = (int32_t)p;
            int limit = avail < MAX_MATCH ? (int)avail : MAX_MATCH;
            if (d->next_len >= 0) { /* found one step ago, from the same chain */
                len = d->next_len;
                dist = d->next_dist;
            } else {
                len = longest_match(d, cur, p, limit, 0, &dist);
            }
            d->next_len = -1;
            /* one step of lazy matching: a longer match from the next byte wins (and is kept
             * for the next step, whose chain is the one searched here) */
            if (len && len < LAZY_LENGTH && avail > (size_t)len + 1 && avail - 1 >= MIN_MATCH) {
                int dist1 = 0;
                int limit1 = avail - 1 < MAX_MATCH ? (int)(avail - 1) : MAX_MATCH;
                int len1 = longest_match(d, d->head[hash3(d->window + p + 1)], p + 1, limit1, len, &dist1);
                if (len1 > len) {
                    len = 0;
                    d->next_len = len1;
                    d->next_dist = dist1;
                }
            }
        }
        if (len) {
            record_match(d, len, dist);
            for (size_t q = p + 1; q < p + (size_t)len && q + MIN_MATCH <= d->win_len; q++) insert(d, q);
            d->pos = p + (size_t)len;
        } else {
            record_literal(d, d->window[p]);
            d->pos = p + 1;
        }
    }
}

/* Make room in the window: the oldest 32 KiB leave, positions move down */
static void slide(Deflater *d) {
    flush_block(d, d->pos, 0);
    memmove(d->window, d->window + WSIZE, d->win_len - WSIZE);
    d->win_len -= WSIZE;
    d->pos -= WSIZE;
    d->block_start -= WSIZE;
    for (size_t i = 0; i < HASH_SIZE; i++) d->head[i] = d->head[i] >= (int32_t)WSIZE ? d->head[i] - (int32_t)WSIZE : -1;
    for (size_t i = 0; i < WSIZE; i++) d->prev[i] = d->prev[i] >= (int32_t)WSIZE ? d->prev[i] - (int32_t)WSIZE : -1;
}

static void deflate_push(Deflater *d, const uint8_t *data, size_t len, int finish) {
    if (!d->header_done) {
        d->header_done = 1;
        if (d->format == FORMAT_GZIP) {
            static const uint8_t h[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
            for (int i = 0; i < 10; i++) put_byte(d, h[i]);
        } else if (d->format == FORMAT_DEFLATE) {
            put_byte(d, 0x78);
            put_byte(d, 0x9c);
        }
    }
    if (d->format == FORMAT_GZIP) d->check = crc32_update(d->check, data, len);
    else d->check = adler32_update(d->check, data, len);
    d->size += (uint32_t)len;
    while (len > 0 && !d->oom) {
        if (d->win_len == WIN_CAP) slide(d);
        size_t n = WIN_CAP - d->win_len;
        if (n > len) n = len;
        memcpy(d->window + d->win_len, data, n);
        d->win_len += n;
        data += n;
        len -= n;
        deflate_window(d, 0);
    }
    if (finish && !d->oom) {
        deflate_window(d, 1);
        flush_block(d, d->pos, 1);
        align_byte(d);
        uint32_t c = d->check;
        if (d->format == FORMAT_GZIP) {
            for (int i = 0; i < 4; i++) put_byte(d, (uint8_t)(c >> (8 * i)));
            for (int i = 0; i < 4; i++) put_byte(d, (uint8_t)(d->size >> (8 * i)));
        } else if (d->format == FORMAT_DEFLATE) {
            for (int i = 3; i >= 0; i--) put_byte(d, (uint8_t)(c >> (8 * i)));
        }
    }
}

/* a zeroed Inflater or Deflater made ready for `format` */
static void inflater_init(Inflater *s, int format) {
    s->format = format;
    s->check = format == FORMAT_GZIP ? 0 : 1;
}

static void deflater_init(Deflater *d, int format) {
    d->format = format;
    d->check = format == FORMAT_GZIP ? 0 : 1;
    for (size_t i = 0; i < HASH_SIZE; i++) d->head[i] = -1;
    for (size_t i = 0; i < WSIZE; i++) d->prev[i] = -1;
}

static void codec_tables_init(void) {
    crc_init();
    fixed_init();
    fixed_codes_init();
    deflate_tables_init();
}

/* ---- the natives ------------------------------------------------------------------ */
#ifndef EDGEBOX_CODEC_ONLY

static JSClassID codec_class_id;

typedef struct {
    int inflate;
    void *state;
} Codec;

static void free_state(JSRuntime *rt, Codec *codec) {
    if (!codec->state) return;
    if (codec->inflate) {
        Inflater *s = codec->state;
        js_free_rt(rt, s->in);
        js_free_rt(rt, s->out);
    } else {
        Deflater *d = codec->state;
        js_free_rt(rt, d->out);
    }
    js_free_rt(rt, codec->state);
    codec->state = NULL;
}

static void codec_finalizer(JSRuntime *rt, JSValueConst val) {
    Codec *codec = JS_GetOpaque(val, codec_class_id);
    if (!codec) return;
    free_state(rt, codec);
    js_free_rt(rt, codec);
}

static const JSClassDef codec_class = {"CompressionCodec", .finalizer = codec_finalizer};

/* native.codecNew(format, inflate): format 0 "deflate", 1 "deflate-raw", 2 "gzip" */
static JSValue js_codec_new(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int32_t format;
    if (argc < 2 || JS_ToInt32(c, &format, argv[0]) || format < 0 || format > 2)
        return JS_ThrowTypeError(c, "codecNew: bad format");
    int inflate = JS_ToBool(c, argv[1]);
    JSValue obj = JS_NewObjectClass(c, (int)codec_class_id);
    if (JS_IsException(obj)) return obj;
    Codec *codec = js_mallocz(c, sizeof *codec);
    void *state = codec ? js_mallocz(c, inflate ? sizeof(Inflater) : sizeof(Deflater)) : NULL;
    if (!state) {
        js_free(c, codec);
        JS_FreeValue(c, obj);
        return JS_EXCEPTION;
    }
    codec->inflate = inflate;
    codec->state = state;
    if (inflate) inflater_init(state, format);
    else deflater_init(state, format);
    JS_SetOpaque(obj, codec);
    return obj;
}

static JSValue take_output(JSContext *c, uint8_t **out, size_t *len) {
    JSValue r = JS_NewUint8ArrayCopy(c, *out, *len);
    *len = 0;
    return r;
}

static JSValue inflate_push(JSContext *c, Codec *codec, const uint8_t *data, size_t len, int finish) {
    Inflater *s = codec->state;
    s->ctx = c;
    if (inflate_feed(s, data, len, finish) < 0) {
        if (!s->error) return JS_EXCEPTION; /* out of memory, thrown by js_realloc */
        const char *msg = s->error;
        free_state(JS_GetRuntime(c), codec);
        return JS_ThrowTypeError(c, "%s", msg);
    }
    return take_output(c, &s->out, &s->out_len);
}

/* native.codecPush(codec, bytes | undefined, finish): the bytes the chunk gives (a Uint8Array,
 * maybe empty); a TypeError for corrupt or truncated input, after which the codec is spent */
static JSValue js_codec_push(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    Codec *codec = JS_GetOpaque2(c, argc > 0 ? argv[0] : JS_UNDEFINED, codec_class_id);
    if (!codec) return JS_EXCEPTION;
    int finish = argc > 2 && JS_ToBool(c, argv[2]);
    size_t len = 0;
    const uint8_t *data = NULL;
    if (argc > 1 && !JS_IsUndefined(argv[1])) {
        data = edgebox_view_bytes(c, argv[1], &len);
        if (!data) return JS_EXCEPTION;
    }
    if (!codec->state) return JS_ThrowTypeError(c, "The stream has already failed or finished");
    if (codec->inflate) {
        JSValue r = inflate_push(c, codec, data, len, finish);
        if (finish && codec->state) free_state(JS_GetRuntime(c), codec);
        return r;
    }
    Deflater *d = codec->state;
    d->ctx = c;
    deflate_push(d, data, len, finish);
    if (d->oom) {
        free_state(JS_GetRuntime(c), codec);
        return JS_EXCEPTION;
    }
    JSValue r = take_output(c, &d->out, &d->out_len);
    if (finish) free_state(JS_GetRuntime(c), codec);
    return r;
}

static const JSCFunctionListEntry compression_funcs[] = {
    JS_CFUNC_DEF("codecNew", 2, js_codec_new),
    JS_CFUNC_DEF("codecPush", 3, js_codec_push),
};

void edgebox_web_compression(JSContext *ctx, JSValueConst native) {
    JSRuntime *rt = JS_GetRuntime(ctx);
    if (!codec_class_id) {
        JS_NewClassID(rt, &codec_class_id);
        codec_tables_init();
    }
    JS_NewClass(rt, codec_class_id, &codec_class);
    JS_SetPropertyFunctionList(ctx, native, compression_funcs, sizeof(compression_funcs) / sizeof(compression_funcs[0]));
}
#endif
