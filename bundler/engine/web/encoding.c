/*
 * UTF-8 for TextEncoder and TextDecoder, as the Encoding standard defines it.
 *
 * QuickJS's own conversions keep lone surrogates (WTF-8) and replace invalid input its own
 * way; the standard wants U+FFFD for a lone surrogate when encoding, and, when decoding,
 * U+FFFD for each maximal invalid subpart (the WHATWG UTF-8 decoder), or a TypeError in
 * fatal mode. These loops run over whole strings at C speed: large texts cross between JS
 * and wasm memory through them (wasm-bindgen, AssemblyScript and Emscripten glue).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quickjs.h"
#include "web.h"

/* WTF-8 of a lone surrogate is ED A0..BF 80..BF, three bytes like U+FFFD's EF BF BD. */
static int is_encoded_surrogate(const uint8_t *p, size_t left) {
    return left >= 3 && p[0] == 0xED && p[1] >= 0xA0 && p[1] <= 0xBF;
}

/* Copy QuickJS's WTF-8 into `out`, lone surrogates as U+FFFD (the same length). */
static void copy_replacing_surrogates(uint8_t *out, const uint8_t *in, size_t len) {
    size_t i = 0;
    while (i < len) {
        if (is_encoded_surrogate(in + i, len - i)) {
            out[i] = 0xEF; out[i + 1] = 0xBF; out[i + 2] = 0xBD;
            i += 3;
        } else {
            out[i] = in[i];
            i++;
        }
    }
}

/* native.utf8Encode(string): a new Uint8Array holding the string as UTF-8. */
static JSValue js_utf8_encode(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t len;
    const char *s = JS_ToCStringLen2(c, &len, argc > 0 ? argv[0] : JS_UNDEFINED, false);
    if (!s) return JS_EXCEPTION;
    uint8_t *buf = js_malloc(c, len ? len : 1);
    if (!buf) {
        JS_FreeCString(c, s);
        return JS_EXCEPTION;
    }
    copy_replacing_surrogates(buf, (const uint8_t *)s, len);
    JS_FreeCString(c, s);
    JSValue ab = JS_NewArrayBufferCopy(c, buf, len);
    js_free(c, buf);
    if (JS_IsException(ab)) return ab;
    JSValue args[1] = {ab};
    JSValue u8 = JS_NewTypedArray(c, 1, args, JS_TYPED_ARRAY_UINT8);
    JS_FreeValue(c, ab);
    return u8;
}

/* The bytes of an ArrayBuffer or any ArrayBufferView (a DataView too). */
static uint8_t *view_bytes(JSContext *c, JSValueConst v, size_t *len) {
    size_t offset, length, bpe;
    JSValue ab = JS_GetTypedArrayBuffer(c, v, &offset, &length, &bpe);
    uint8_t *data;
    size_t size;
    if (!JS_IsException(ab)) {
        data = JS_GetArrayBuffer(c, &size, ab);
        JS_FreeValue(c, ab);
        if (!data || offset > size || length > size - offset) return NULL;
        *len = length;
        return data + offset;
    }
    JS_FreeValue(c, JS_GetException(c));
    data = JS_GetArrayBuffer(c, &size, v);
    if (data) {
        *len = size;
        return data;
    }
    JS_FreeValue(c, JS_GetException(c));
    /* encoding.js turned a DataView into a Uint8Array, from its internal slots */
    JS_ThrowTypeError(c, "The \"input\" argument must be an ArrayBuffer or an ArrayBufferView");
    return NULL;
}

/* native.utf8EncodeInto(string, uint8array): {read: code units, written: bytes}, whole code
 * points only, as TextEncoder.prototype.encodeInto. */
static JSValue js_utf8_encode_into(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t len, room;
    uint8_t *dst = JS_GetUint8Array(c, &room, argc > 1 ? argv[1] : JS_UNDEFINED);
    if (!dst) return JS_EXCEPTION;
    const char *s = JS_ToCStringLen2(c, &len, argc > 0 ? argv[0] : JS_UNDEFINED, false);
    if (!s) return JS_EXCEPTION;
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0, read = 0;
    while (i < len) {
        uint8_t b = p[i];
        size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        if (i + n > room) break;
        if (n == 3 && is_encoded_surrogate(p + i, len - i)) {
            dst[i] = 0xEF; dst[i + 1] = 0xBF; dst[i + 2] = 0xBD;
        } else {
            memcpy(dst + i, p + i, n);
        }
        i += n;
        read += n == 4 ? 2 : 1; /* a 4-byte sequence was a surrogate pair: two code units */
    }
    JS_FreeCString(c, s);
    /* the result dictionary itself: an array destructured in JS cost more than the copy */
    JSValue out = JS_NewObject(c);
    if (JS_IsException(out)) return out;
    if (JS_DefinePropertyValueStr(c, out, "read", JS_NewInt64(c, (int64_t)read), JS_PROP_C_W_E) < 0 ||
        JS_DefinePropertyValueStr(c, out, "written", JS_NewInt64(c, (int64_t)i), JS_PROP_C_W_E) < 0) {
        JS_FreeValue(c, out);
        return JS_EXCEPTION;
    }
    return out;
}

/* The WHATWG UTF-8 decoder over prefix + data (prefix: the incomplete sequence a previous
 * streaming call left). Appends valid UTF-8 to `out`; returns the number of bytes at the end
 * that form an incomplete sequence (kept when streaming), or -1 on an error in fatal mode. */
static long decode_utf8(const uint8_t *prefix, size_t nprefix, const uint8_t *data, size_t ndata, int fatal,
                        int stream, uint8_t *out, size_t *nout) {
    size_t total = nprefix + ndata, i = 0, o = 0;
    unsigned need = 0, seen = 0, lower = 0x80, upper = 0xBF;
    uint32_t cp = 0;
    size_t start = 0; /* where the current sequence began */
#define BYTE(k) ((k) < nprefix ? prefix[(k)] : data[(k) - nprefix])
    while (i < total) {
        uint8_t b = BYTE(i);
        if (need == 0) {
            start = i;
            if (b < 0x80) {
                out[o++] = b;
            } else if (b >= 0xC2 && b <= 0xDF) {
                need = 1; cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (b == 0xE0) lower = 0xA0;
                if (b == 0xED) upper = 0x9F;
                need = 2; cp = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (b == 0xF0) lower = 0x90;
                if (b == 0xF4) upper = 0x8F;
                need = 3; cp = b & 0x07;
            } else {
                if (fatal) return -1;
                out[o++] = 0xEF; out[o++] = 0xBF; out[o++] = 0xBD;
            }
            i++;
            continue;
        }
        if (b < lower || b > upper) {
            /* the sequence so far is one maximal invalid subpart; b starts afresh */
            need = seen = 0; cp = 0; lower = 0x80; upper = 0xBF;
            if (fatal) return -1;
            out[o++] = 0xEF; out[o++] = 0xBF; out[o++] = 0xBD;
            continue; /* b is read again */
        }
        lower = 0x80; upper = 0xBF;
        cp = (cp << 6) | (b & 0x3F);
        seen++;
        i++;
        if (seen == need) {
            for (size_t k = start; k < i; k++) out[o++] = BYTE(k); /* valid: copy as is */
            need = seen = 0; cp = 0;
        }
    }
#undef BYTE
    *nout = o;
    if (need != 0) {
        if (stream) return (long)(total - start);
        if (fatal) return -1;
        out[o++] = 0xEF; out[o++] = 0xBF; out[o++] = 0xBD;
        *nout = o;
    }
    return 0;
}

/* native.utf8Decode(input, fatal, stream, pending): [string, leftover Uint8Array or null]. */
static JSValue js_utf8_decode(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t ndata = 0, nprefix = 0;
    const uint8_t *data = (const uint8_t *)"";
    if (argc > 0 && !JS_IsUndefined(argv[0])) {
        data = view_bytes(c, argv[0], &ndata);
        if (!data) return JS_EXCEPTION;
    }
    int fatal = argc > 1 && JS_ToBool(c, argv[1]);
    int stream = argc > 2 && JS_ToBool(c, argv[2]);
    uint8_t prefix[4];
    if (argc > 3 && !JS_IsUndefined(argv[3]) && !JS_IsNull(argv[3])) {
        size_t n;
        uint8_t *p = JS_GetUint8Array(c, &n, argv[3]);
        if (!p) return JS_EXCEPTION;
        nprefix = n > 4 ? 4 : n;
        memcpy(prefix, p, nprefix);
    }
    size_t cap = (nprefix + ndata) * 3 + 3, nout = 0;
    /* ASCII, whole: the bytes are the string (the common case, and no copy) */
    if (nprefix == 0) {
        size_t k = 0;
        while (k < ndata && data[k] < 0x80) k++;
        if (k == ndata) {
            JSValue str = JS_NewStringLen(c, (const char *)data, ndata);
            if (JS_IsException(str)) return str;
            JSValue out = JS_NewArray(c);
            JS_SetPropertyUint32(c, out, 0, str);
            JS_SetPropertyUint32(c, out, 1, JS_NULL);
            return out;
        }
    }
    uint8_t *buf = js_malloc(c, cap);
    if (!buf) return JS_EXCEPTION;
    long left = decode_utf8(prefix, nprefix, data, ndata, fatal, stream, buf, &nout);
    if (left < 0) {
        js_free(c, buf);
        return JS_ThrowTypeError(c, "The encoded data was not valid for encoding utf-8");
    }
    JSValue str = JS_NewStringLen(c, (const char *)buf, nout);
    js_free(c, buf);
    if (JS_IsException(str)) return str;
    JSValue leftover = JS_NULL;
    if (left > 0) {
        size_t total = nprefix + ndata;
        uint8_t tail[4];
        for (long k = 0; k < left; k++) {
            size_t at = total - (size_t)left + (size_t)k;
            tail[k] = at < nprefix ? prefix[at] : data[at - nprefix];
        }
        leftover = JS_NewUint8ArrayCopy(c, tail, (size_t)left);
    }
    JSValue out = JS_NewArray(c);
    JS_SetPropertyUint32(c, out, 0, str);
    JS_SetPropertyUint32(c, out, 1, leftover);
    return out;
}

static const JSCFunctionListEntry encoding_funcs[] = {
    JS_CFUNC_DEF("utf8Encode", 1, js_utf8_encode),
    JS_CFUNC_DEF("utf8EncodeInto", 2, js_utf8_encode_into),
    JS_CFUNC_DEF("utf8Decode", 4, js_utf8_decode),
};

void edgebox_web_encoding(JSContext *ctx, JSValueConst native) {
    JS_SetPropertyFunctionList(ctx, native, encoding_funcs, sizeof(encoding_funcs) / sizeof(encoding_funcs[0]));
}
