/*
 * The DEFLATE codec of bundler/engine/web/compression.c, built natively with AddressSanitizer
 * and UBSan (tests/test_web_compression.py) and driven hard: round trips of many kinds of data
 * through every format, split into chunks at random places on both sides, and random or damaged
 * input into the inflater, which must end in output or an error, never a read or write out of
 * bounds, never a hang. Usage: compression_fuzz SEED ITERATIONS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct JSContext JSContext;
static void *js_realloc(JSContext *ctx, void *ptr, size_t size) {
    (void)ctx;
    return realloc(ptr, size);
}
#define EDGEBOX_CODEC_ONLY
#include "../../bundler/engine/web/compression.c"

static uint64_t rng_state;
static uint32_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}
static size_t below(size_t n) { return n ? rnd() % n : 0; }

typedef struct {
    uint8_t *p;
    size_t len, cap;
} Buf;

static void append(Buf *b, const uint8_t *p, size_t n) {
    if (n == 0) return;
    if (b->cap - b->len < n) {
        b->cap = (b->len + n) * 2 + 16;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

/* a chunk length: often small, sometimes large, so both sides are cut at awkward places */
static size_t chunk_len(size_t left) {
    size_t n;
    switch (rnd() % 4) {
    case 0: n = 1 + below(8); break;
    case 1: n = 1 + below(300); break;
    case 2: n = 1 + below(70000); break;
    default: n = left; break;
    }
    return n > left ? left : n;
}

static Buf compress(const uint8_t *data, size_t len, int format) {
    Deflater *d = calloc(1, sizeof *d);
    deflater_init(d, format);
    Buf out = {0};
    size_t at = 0;
    do {
        size_t n = chunk_len(len - at);
        deflate_push(d, data + at, n, 0);
        append(&out, d->out, d->out_len);
        d->out_len = 0;
        at += n;
    } while (at < len);
    deflate_push(d, NULL, 0, 1);
    append(&out, d->out, d->out_len);
    free(d->out);
    free(d);
    return out;
}

/* 0 with the output in *out, or -1 (the error is in *why) */
static int decompress(const uint8_t *data, size_t len, int format, Buf *out, const char **why) {
    Inflater *s = calloc(1, sizeof *s);
    inflater_init(s, format);
    size_t at = 0;
    int r = 0;
    do {
        size_t n = chunk_len(len - at);
        if (inflate_feed(s, data + at, n, 0) < 0) {
            r = -1;
            break;
        }
        append(out, s->out, s->out_len);
        at += n;
    } while (at < len);
    if (r == 0) {
        if (inflate_feed(s, NULL, 0, 1) < 0) r = -1;
        else append(out, s->out, s->out_len);
    }
    *why = s->error;
    free(s->in);
    free(s->out);
    free(s);
    return r;
}

static void make_data(Buf *b) {
    size_t len = rnd() % 8 == 0 ? below(400000) : below(5000);
    static const char *words[] = {"stream ", "deflate ", "the ", "window ", "é", "😀", "\n", "0123456789"};
    b->len = 0;
    int kind = (int)(rnd() % 5);
    while (b->len < len) {
        uint8_t x;
        switch (kind) {
        case 0: x = (uint8_t)rnd(); append(b, &x, 1); break;
        case 1: { const char *w = words[rnd() % 8]; append(b, (const uint8_t *)w, strlen(w)); break; }
        case 2: { x = (uint8_t)rnd(); for (size_t k = below(600); k > 0; k--) append(b, &x, 1); break; }
        case 3: x = (uint8_t)('a' + rnd() % 3); append(b, &x, 1); break;
        default: /* copies of earlier data, near and far */
            if (b->len > 10 && rnd() % 2) {
                size_t from = below(b->len), n = 1 + below(300);
                if (from + n > b->len) n = b->len - from;
                uint8_t tmp[300];
                memcpy(tmp, b->p + from, n);
                append(b, tmp, n);
            } else {
                x = (uint8_t)rnd();
                append(b, &x, 1);
            }
        }
    }
}

int main(int argc, char **argv) {
    rng_state = argc > 1 ? strtoull(argv[1], NULL, 10) * 2654435761u + 1 : 1;
    long iterations = argc > 2 ? strtol(argv[2], NULL, 10) : 200;
    codec_tables_init();
    Buf data = {0};
    long roundtrips = 0, errors = 0, outputs = 0;
    for (long it = 0; it < iterations; it++) {
        int format = (int)(rnd() % 3);
        make_data(&data);
        Buf comp = compress(data.p, data.len, format);
        Buf back = {0};
        const char *why = NULL;
        if (decompress(comp.p, comp.len, format, &back, &why) < 0 || back.len != data.len ||
            (data.len && memcmp(back.p, data.p, data.len) != 0)) {
            printf("ROUND TRIP FAILED: format %d, %zu bytes: %s\n", format, data.len, why ? why : "different output");
            return 1;
        }
        roundtrips++;
        free(back.p);
        /* damaged: bits flipped, bytes changed, cut short, or junk after the end */
        for (int k = 0; k < 4; k++) {
            Buf bad = {0};
            append(&bad, comp.p, comp.len);
            switch (rnd() % 4) {
            case 0: for (int f = 1 + (int)below(4); f > 0; f--) bad.p[below(bad.len)] ^= (uint8_t)(1u << (rnd() % 8)); break;
            case 1: bad.p[below(bad.len)] = (uint8_t)rnd(); break;
            case 2: bad.len = below(bad.len); break;
            default: { uint8_t x = (uint8_t)rnd(); append(&bad, &x, 1); }
            }
            Buf out = {0};
            if (decompress(bad.p, bad.len, format, &out, &why) < 0) errors++;
            else outputs++;
            free(out.p);
            free(bad.p);
        }
        /* random bytes, and random bits behind a plausible header */
        for (int k = 0; k < 4; k++) {
            Buf junk = {0};
            size_t n = below(3000);
            if (k == 1 && format != FORMAT_DEFLATE_RAW) append(&junk, comp.p, comp.len < 10 ? comp.len : 10);
            for (size_t i = 0; i < n; i++) {
                uint8_t x = (uint8_t)rnd();
                append(&junk, &x, 1);
            }
            if (k == 2 && junk.len) junk.p[0] = (uint8_t)((junk.p[0] & ~7u) | 5u); /* a final dynamic block */
            Buf out = {0};
            if (decompress(junk.p, junk.len, k >= 2 ? FORMAT_DEFLATE_RAW : format, &out, &why) < 0) errors++;
            else outputs++;
            free(out.p);
            free(junk.p);
        }
        free(comp.p);
    }
    printf("ok: %ld round trips, %ld damaged or random inputs rejected, %ld decoded\n", roundtrips, errors, outputs);
    free(data.p);
    return 0;
}
