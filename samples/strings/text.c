// Text in wasm memory: JS writes UTF-8 into memory.buffer with TextEncoder.encodeInto, this
// module edits it in place, JS reads it back with TextDecoder. No copies through the host.
#include <stdint.h>
#define EXPORT(name) __attribute__((export_name(name)))

extern unsigned char __heap_base;
static uintptr_t next = (uintptr_t)&__heap_base;

// A bump allocator that grows the memory when it runs out (which detaches JS's old buffers).
EXPORT("alloc") uint8_t *alloc(uint32_t n) {
    uintptr_t p = (next + 7) & ~(uintptr_t)7;
    uintptr_t end = p + n;
    uintptr_t have = __builtin_wasm_memory_size(0) * 65536;
    if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (uintptr_t)-1) return 0;
    next = end;
    return (uint8_t *)p;
}

EXPORT("reset") void reset(void) { next = (uintptr_t)&__heap_base; }

// Upper-cases the first ASCII letter of every word, in place; returns the number of code
// points (UTF-8 lead bytes), which JS's string length (UTF-16 units) is not.
EXPORT("title_case") uint32_t title_case(uint8_t *s, uint32_t n) {
    uint32_t codepoints = 0;
    int start = 1;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if ((c & 0xC0) != 0x80) codepoints++;
        if (start && c >= 'a' && c <= 'z') s[i] = c - 32;
        start = c == ' ' || c == '\n' || c == '-';
    }
    return codepoints;
}
