/*
 * Randomness for crypto.getRandomValues and crypto.randomUUID: the host's secure source,
 * through WASI random_get (wasi-libc's getentropy, at most 256 bytes a call).
 */
#include <stdint.h>
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

static const JSCFunctionListEntry crypto_funcs[] = {
    JS_CFUNC_DEF("randomFill", 1, js_random_fill),
};

void edgebox_web_crypto(JSContext *ctx, JSValueConst native) {
    JS_SetPropertyFunctionList(ctx, native, crypto_funcs, sizeof(crypto_funcs) / sizeof(crypto_funcs[0]));
}
