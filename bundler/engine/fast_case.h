/* String.prototype.toLowerCase and toUpperCase of a one-byte (Latin-1) string, faster.
 *
 * Included into quickjs.c just before js_string_toLowerCase (build.FAST_PATH_PATCHES).
 * QuickJS converts one character at a time through libunicode's case tables into a
 * StringBuffer; a Latin-1 string's case mapping is a fixed shift of two ranges, so it is one
 * pass over the bytes into a string of the same length, and no new string at all when no
 * character changes (Headers lower-cases every name it is given). Three characters leave
 * Latin-1 or grow when upper-cased (µ U+00B5 → U+039C, ß U+00DF → "SS", ÿ U+00FF → U+0178):
 * a string holding one of them takes QuickJS's path. */

static inline uint32_t edgebox_latin1_case(uint32_t c, int to_lower)
{
    if (to_lower) /* A-Z, and À-Þ but × */
        return (c - 'A' < 26 || (c - 0xC0 < 0x1F && c != 0xD7)) ? c + 32 : c;
    /* a-z, and à-þ but ÷ */
    return (c - 'a' < 26 || (c - 0xE0 < 0x1F && c != 0xF7)) ? c - 32 : c;
}

/* The converted string, taking `val` (a one-byte string); JS_UNINITIALIZED, with `val`
 * untouched, when the string needs QuickJS's path. */
static JSValue edgebox_latin1_convert_case(JSContext *ctx, JSValue val, int to_lower)
{
    JSString *p = JS_VALUE_GET_STRING(val), *r;
    const uint8_t *s = str8(p);
    uint8_t *d;
    uint32_t i, first, n = p->len;

    for (first = 0; first < n && edgebox_latin1_case(s[first], to_lower) == s[first]; first++) {
        if (!to_lower && (s[first] == 0xB5 || s[first] == 0xDF || s[first] == 0xFF))
            return JS_UNINITIALIZED;
    }
    if (first == n)
        return val; /* nothing changes: the same string */
    if (!to_lower) {
        for (i = first; i < n; i++) {
            if (s[i] == 0xB5 || s[i] == 0xDF || s[i] == 0xFF)
                return JS_UNINITIALIZED;
        }
    }
    r = js_alloc_string(ctx, n, 0);
    if (!r) {
        JS_FreeValue(ctx, val);
        return JS_EXCEPTION;
    }
    d = str8(r);
    memcpy(d, s, first);
    for (i = first; i < n; i++)
        d[i] = edgebox_latin1_case(s[i], to_lower);
    d[n] = '\0';
    JS_FreeValue(ctx, val);
    return JS_MKPTR(JS_TAG_STRING, r);
}
