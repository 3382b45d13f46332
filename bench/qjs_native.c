/* A minimal native host for bench/js_suite.py: evaluate one script file with QuickJS-NG
   and give it console.log (one string argument per call, enough for the suite's output).
   Built natively from the engine's own pinned sources, so that native and wasm builds
   differ only in the target, not in the compiler or the QuickJS version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"

static JSValue console_log(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    for (int i = 0; i < argc; i++) {
        const char *s = JS_ToCString(ctx, argv[i]);
        if (!s)
            return JS_EXCEPTION;
        fputs(s, stdout);
        fputc(i + 1 < argc ? ' ' : '\n', stdout);
        JS_FreeCString(ctx, s);
    }
    return JS_UNDEFINED;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCRIPT.js\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(len + 1);
    if (!buf || fread(buf, 1, len, f) != (size_t)len)
        return 2;
    buf[len] = 0;
    fclose(f);

    JSRuntime *rt = JS_NewRuntime();
    JSContext *ctx = JS_NewContext(rt);
    JSValue console = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, console, "log", JS_NewCFunction(ctx, console_log, "log", 1));
    JSValue global = JS_GetGlobalObject(ctx);
    JS_SetPropertyStr(ctx, global, "console", console);
    JS_FreeValue(ctx, global);

    JSValue r = JS_Eval(ctx, buf, len, argv[1], JS_EVAL_TYPE_GLOBAL);
    int failed = JS_IsException(r);
    if (failed) {
        JSValue e = JS_GetException(ctx);
        const char *s = JS_ToCString(ctx, e);
        fprintf(stderr, "%s\n", s ? s : "exception");
        JS_FreeCString(ctx, s);
        JS_FreeValue(ctx, e);
    }
    JS_FreeValue(ctx, r);
    JS_FreeContext(ctx);
    JS_FreeRuntime(rt);
    free(buf);
    return failed;
}
