/*
 * Code paths that cost far more in the wasm32 engine than in native QuickJS-NG, replaced:
 * mostly where QuickJS calls into the C library zig links for wasm32-wasi (wasi-libc's musl
 * parts, zig's own lib/c and compiler-rt), whose generic code stands where glibc has tuned
 * or hardware paths. build.py's FAST_PATH_PATCHES route QuickJS to these. docs/performance.md,
 * "JS speed against native QuickJS-NG", has what each one measured.
 */
#include <stdint.h>
#include <math.h>
#include <malloc.h>
#include <stdlib.h>

#include "dtoa.h"

/* The value of a JSON number token, the text from `p` to `end` (already checked against
 * JSON's grammar by QuickJS). QuickJS calls strtod, which in wasi-libc (musl) scans with
 * `long double` arithmetic: binary128 in wasm32, every operation a compiler-rt call
 * (__multf3, __addtf3), where x86-64 has 80-bit hardware floats.
 *
 * - At most 15 significant digits and a decimal exponent within ±22: the mantissa and the
 *   power of ten are both exact doubles, so one IEEE multiply or divide rounds the exact
 *   value correctly (Clinger's fast path) — what strtod returns.
 * - Otherwise QuickJS's own js_atod (64-bit integer arithmetic), which is what a numeric
 *   literal in JS source goes through; only where it is exact: at most 38 significant digits
 *   (it drops digits past that) and a result far from the subnormal range (it truncates there).
 * - Anything else: strtod, as before. */
double edgebox_json_number(const char *p, const char *end)
{
    static const double pow10[23] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    const char *s = p;
    int neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    uint64_t m = 0;
    int digits = 0; /* significant digits: from the first non-zero one */
    int e10 = 0;    /* the value is m * 10^e10 while digits <= 19 */
    for (; s < end && *s >= '0' && *s <= '9'; s++) {
        if (m || *s != '0') {
            if (++digits <= 19)
                m = m * 10 + (uint64_t)(*s - '0');
            else
                e10++;
        }
    }
    if (s < end && *s == '.') {
        for (s++; s < end && *s >= '0' && *s <= '9'; s++) {
            if (m || *s != '0') {
                if (++digits <= 19) {
                    m = m * 10 + (uint64_t)(*s - '0');
                    e10--;
                }
            } else {
                e10--;
            }
        }
    }
    if (s < end && (*s == 'e' || *s == 'E')) {
        s++;
        int eneg = *s == '-';
        if (*s == '-' || *s == '+')
            s++;
        int x = 0;
        for (; s < end && *s >= '0' && *s <= '9'; s++)
            if (x < 100000)
                x = x * 10 + (*s - '0');
        e10 += eneg ? -x : x;
    }
    if (m == 0)
        return neg ? -0.0 : 0.0;
    if (digits <= 15 && e10 >= -22 && e10 <= 22) {
        double d = (double)m;
        d = e10 < 0 ? d / pow10[-e10] : d * pow10[e10];
        return neg ? -d : d;
    }
    /* the decimal exponent of the leading digit, when digits <= 19 */
    int lead = e10 + (digits < 19 ? digits : 19) - 1;
    if (digits <= 38 && lead > -290 && lead < 290) {
        JSATODTempMem tmp;
        return js_atod(p, NULL, 10, 0, &tmp);
    }
    return strtod(p, NULL);
}

/* x % y for JS numbers (fmod's result). wasm32's fmod is compiler-rt's generic one, which
 * reduces the dividend one bit of exponent difference per step (glibc's, natively, is not
 * much faster: 104 samples to its 128 in arrays_sort). When both operands are integers of at
 * most 2^53 in magnitude (what `n % 100000` usually is) the remainder is exact in int64
 * arithmetic, with the sign of x (-0 included) as fmod gives it, and cheaper than either. */
double edgebox_fmod(double x, double y)
{
    const double limit = 9007199254740992.0; /* 2^53 */
    if (x >= -limit && x <= limit && y >= -limit && y <= limit && y != 0) {
        int64_t a = (int64_t)x, b = (int64_t)y;
        if ((double)a == x && (double)b == y) {
            int64_t r = a % b;
            return r != 0 ? (double)r : __builtin_copysign(0.0, x);
        }
    }
    return fmod(x, y);
}

/* The bucket of a Map or Set key: QuickJS hashes a number as the two halves of its double
 * XORed and multiplied by 3163, and an object as its address times 3163, then takes the low
 * bits. A small integer's double has its low mantissa bits zero (12000 is 0x40C7700000000000),
 * an address is 8- or 16-aligned, and multiplying by an odd number keeps trailing zeros: a
 * Map of the integers 0..11999 used one bucket in 128, and each lookup walked a chain of
 * about 100 keys. The finalizer of MurmurHash3 (a public-domain mix) spreads every input bit
 * over the low bits. Only where a key's record is filed changes, never what a Map holds or
 * the order it iterates in (the records' list). */
uint32_t edgebox_mix_hash(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* The slot zig's libc malloc (std.heap.BrkAllocator behind lib/c/malloc.zig) gives a block
 * of n bytes: its 16-byte header and 4-byte free-list word added, rounded up to a power of
 * two below 64 KiB, else to a power of two of 64 KiB pages. Its realloc keeps a block in
 * place exactly when the slot stays the same. */
static size_t zig_malloc_slot(size_t n)
{
    size_t need = n + 16 + 4, slot = 16;
    if (need <= 32768) {
        while (slot < need)
            slot <<= 1;
        return slot;
    }
    size_t pages = (need + 65536 + 3) / 65536, pow2 = 1;
    while (pow2 < pages)
        pow2 <<= 1;
    return pow2 << 16 | 1;
}

/* realloc for QuickJS's large blocks (arrays, string buffers, bytecode past the arenas' 4 KiB
 * class). zig's realloc copies a block that changes slot one byte per iteration: growing a
 * 240 KB array moved it at about a byte per cycle, and so did shrinking a string buffer to its
 * string's length (string_buffer_end). Here a move is one memory.copy (the host's memmove); a
 * block that keeps its slot is left to realloc, which does not copy it. Getting the slot wrong
 * would only cost speed: both paths give a block with the same contents, and NULL (the old
 * block untouched) when there is no memory. */
void *edgebox_realloc(void *ptr, size_t size)
{
    if (!ptr || !size)
        return realloc(ptr, size);
    size_t old = malloc_usable_size(ptr);
    if (zig_malloc_slot(size) == zig_malloc_slot(old))
        return realloc(ptr, size);
    void *moved = malloc(size);
    if (!moved)
        return NULL;
    __builtin_memcpy(moved, ptr, size < old ? size : old);
    free(ptr);
    return moved;
}
