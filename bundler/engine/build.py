"""The engine: the one shipped in the wheel, or the reproducible development build.

An installed wheel carries engine.wasm next to this file, built when the wheel was
built, with engine.json recording the source key it was built from (the QuickJS-NG
sources' hash, our glue, the flags; not the zig version). ensure_engine() uses it
when that key is the one this package's own sources give, so an installed edgebox
needs no compiler, no ziglang and no network.

Otherwise (a checkout, or glue that changed since the wheel was built) the engine is
built: the `quickjs-ng` sdist from the Python package index, fetched with pip,
checked against a pinned sha256 and compiled with `python -m ziglang cc` together
with our glue (glue.c, prelude.js). The result lives in a content-addressed cache
keyed by the source key and the toolchain version, so it is built once per machine;
a lock makes concurrent first runs build it once.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

from ..cache import atomic_write_bytes, cache_dir, cache_unusable, file_has_sha256, files_digest, locked
from ..digest import sha256_hex
from ..errors import EngineBuildError

QUICKJS_NG_VERSION = "0.17.0.2"
QUICKJS_NG_SDIST = f"quickjs_ng-{QUICKJS_NG_VERSION}.tar.gz"
QUICKJS_NG_SHA256 = "43d2e48272208721a7aaea8e3f02d4b9318f12ef20cc4f5421b59d9a470706ef"
QUICKJS_SOURCES = ("quickjs.c", "libregexp.c", "libunicode.c", "dtoa.c")

# The C (shadow) stack in linear memory; QuickJS's own stack check is set just below it.
STACK_SIZE = 4 * 1024 * 1024
CFLAGS = (
    "-target", "wasm32-wasi", "-O2", "-D_WASI_EMULATED_SIGNAL", f"-DEDGEBOX_STACK_SIZE={STACK_SIZE}",
)  # fmt: skip
LDFLAGS = (
    "-s", "-mexec-model=reactor", "-lwasi-emulated-signal",
    "-Wl,--import-memory", "-Wl,--export-memory", f"-Wl,-z,stack-size={STACK_SIZE}",
)  # fmt: skip

HERE = Path(__file__).resolve().parent
# The web platform APIs, one file each (web/web.h): C where speed matters, JS for the rest,
# evaluated after the prelude in this order (a later one may use an earlier one's globals).
WEB_C = ("web/encoding.c", "web/crypto.c", "web/fs.c", "web/compression.c")
WEB_JS = (
    "web/domexception.js", "web/encoding.js", "web/crypto.js", "web/url.js", "web/fetch.js", "web/events.js",
    "web/structured_clone.js", "web/streams.js", "web/encoding_streams.js", "web/compression.js", "web/blob.js",
    "web/formdata.js", "web/fs.js", "web/headers.js", "web/assets.js",
)  # fmt: skip
# Faster versions of QuickJS's slow code paths (FAST_PATH_PATCHES route QuickJS to them).
FAST_C = ("fast_paths.c",)
# Faster versions that need QuickJS's internals: included into quickjs.c by FAST_PATH_PATCHES.
FAST_H = ("fast_json.h", "fast_case.h")
GLUE_FILES = ("glue.c", *FAST_C, *FAST_H, "prelude.js", "web/web.h", *WEB_C, *WEB_JS)
# Evaluated on first use, not at start-up: large, and pure JS over JS values (no natives), so
# that intrinsics it takes when it first runs can only change what it computes, never what it
# reaches. Scripts that call natives take their intrinsics at start-up, before any user code.
LAZY_WEB_JS = (
    "web/url.js", "web/events.js", "web/structured_clone.js", "web/streams.js", "web/encoding_streams.js",
    "web/compression.js", "web/blob.js", "web/formdata.js", "web/fetch.js", "web/headers.js",
)  # fmt: skip
# Where a wheel carries its prebuilt engine (setup.py puts them there; a checkout has neither).
SHIPPED_WASM = HERE / "engine.wasm"
SHIPPED_INFO = HERE / "engine.json"

# Our changes to the pinned QuickJS-NG sources: (file, text, replacement), each text
# found exactly once or the build stops. They let glue.c tell the errors QuickJS throws
# for the heap and stack limits from errors a program throws with the same message, and
# take a stack trace after a trap without running user JS.
SOURCE_PATCHES = (
    (
        # A restored snapshot (edgebox-bundle --snapshot) would otherwise replay the Math.random
        # sequence of the bundling run: the engine reseeds it after restoring (glue.c).
        "quickjs.c",
        """static JSValue js_math_random(JSContext *ctx, JSValueConst this_val,""",
        """void edgebox_reseed_random(JSContext *ctx, uint64_t seed)
{
    ctx->random_state = seed ? seed : 1; /* xorshift64* needs a non-zero state */
}

static JSValue js_math_random(JSContext *ctx, JSValueConst this_val,""",
    ),
    (
        "quickjs.c",
        """        JS_ThrowInternalError(ctx, "out of memory");
        rt->in_out_of_memory = false;""",
        """        JS_ThrowInternalError(ctx, "out of memory");
        rt->in_out_of_memory = false;
        edgebox_limit_error(ctx, 1);""",
    ),
    (
        "quickjs.c",
        """static JSValue JS_ThrowStackOverflow(JSContext *ctx)
{
    return JS_ThrowRangeError(ctx, "Maximum call stack size exceeded");
}""",
        """static JSValue JS_ThrowStackOverflow(JSContext *ctx)
{
    JS_ThrowRangeError(ctx, "Maximum call stack size exceeded");
    edgebox_limit_error(ctx, 2);
    return JS_EXCEPTION;
}""",
    ),
    (
        # A stack trace the host can take after a trap without running user JS.
        "quickjs.c",
        """static JSValue js_error_get_prepareStackTrace(JSContext *ctx, JSValueConst this_val)
{""",
        """JSValue edgebox_plain_stack(JSContext *ctx)
{
    JSValue prepare = ctx->error_prepare_stack, limit = ctx->error_stack_trace_limit;
    ctx->error_prepare_stack = JS_UNDEFINED;
    ctx->error_stack_trace_limit = js_int32(64);
    JSValue err = JS_NewError(ctx);
    ctx->error_prepare_stack = prepare;
    ctx->error_stack_trace_limit = limit;
    if (JS_IsException(err))
        return JS_UNDEFINED;
    JSValue stack = js_dup(JS_VALUE_GET_OBJ(err)->u.object_data); /* not the user's accessor */
    JS_FreeValue(ctx, err);
    return stack;
}

static JSValue js_error_get_prepareStackTrace(JSContext *ctx, JSValueConst this_val)
{""",
    ),
    (
        # The buffer of a WebAssembly.Memory cannot be transferred (detached) by JS.
        "quickjs.c",
        """    if (abuf->detached)
        return JS_ThrowTypeErrorDetachedArrayBuffer(ctx);
    pmax_len = NULL;""",
        """    if (abuf->detached)
        return JS_ThrowTypeErrorDetachedArrayBuffer(ctx);
    if (abuf->opaque == &edgebox_wasm_memory_marker)
        return JS_ThrowTypeError(ctx, "cannot transfer the buffer of a WebAssembly.Memory");
    pmax_len = NULL;""",
    ),
    (
        "quickjs.c",
        """static JSValue JS_ThrowStackOverflow(JSContext *ctx);""",
        """static JSValue JS_ThrowStackOverflow(JSContext *ctx);
void edgebox_limit_error(JSContext *ctx, int kind); /* glue.c */
extern char edgebox_wasm_memory_marker; /* glue.c */
extern int edgebox_source_maps; /* glue.c */
JSValue edgebox_map_stack(JSContext *ctx, JSValueConst text); /* glue.c */
int edgebox_column(const uint8_t *line_start, const uint8_t *p); /* glue.c */
void edgebox_column_reset(void); /* glue.c */""",
    ),
    # Columns as V8 (Node) and source maps count them: UTF-16 code units from the line's
    # start, 1-based on every line. QuickJS counts UTF-8 bytes, and its first line from 0.
    (
        "quickjs.c",
        """    s->token.col_num = max_int(1, s->mark - s->eol);""",
        """    s->token.col_num = edgebox_column(s->line_start, s->mark);""",
    ),
    (
        "quickjs.c",
        """                s->col_num = max_int(1, s->mark - s->eol);""",
        """                s->col_num = edgebox_column(s->line_start, s->mark);""",
    ),
    (
        "quickjs.c",
        """                (int)(s->token.ptr - s->line_start) + 1;""",
        """                edgebox_column(s->line_start, s->token.ptr);""",
    ),
    (
        "quickjs.c",
        """        err_col_num = (int)(s->token.ptr - s->token.line_start) + 1;""",
        """        err_col_num = edgebox_column(s->token.line_start, s->token.ptr);""",
    ),
    (
        "quickjs.c",
        """    s->mark = s->buf_ptr + min_int(1, input_len);""",
        """    s->mark = s->buf_ptr + min_int(1, input_len);
    edgebox_column_reset(); /* a new source: positions counted before are another text's */""",
    ),
    # The position of a call where V8 puts it, so that a frame names the same place in Node
    # and here: `new` for `new F(...)`, the callee's name for `f(...)` and `o.m(...)` (QuickJS
    # keeps the last position its arguments emitted); a property read at the property's name.
    (
        "quickjs.c",
        """static __exception int js_parse_postfix_expr(JSParseState *s, int parse_flags)
{
    FuncCallType call_type;""",
        """static __exception int js_parse_postfix_expr(JSParseState *s, int parse_flags)
{
    int call_line = 0, call_col = 0; /* EdgeBox: where V8 places the call */
    FuncCallType call_type;""",
    ),
    (
        "quickjs.c",
        """    case TOK_NEW:
        if (next_token(s))""",
        """    case TOK_NEW:
        call_line = s->token.line_num;
        call_col = s->token.col_num;
        if (next_token(s))""",
    ),
    (
        "quickjs.c",
        """            do_get_var:
                emit_source_loc_at(s, identifier_line_num, identifier_col_num);""",
        """            do_get_var:
                emit_source_loc_at(s, identifier_line_num, identifier_col_num);
                call_line = identifier_line_num;
                call_col = identifier_col_num;""",
    ),
    (
        "quickjs.c",
        """        parse_property:
            if (s->token.val == TOK_PRIVATE_NAME) {""",
        """        parse_property:
            call_line = s->token.line_num;
            call_col = s->token.col_num;
            if (s->token.val == TOK_PRIVATE_NAME) {""",
    ),
    (
        "quickjs.c",
        """                    if (has_optional_chain) {
                        optional_chain_test(s, &optional_chaining_label, 1);
                    }
                    emit_op(s, OP_get_field);
                    emit_atom(s, s->token.u.ident.atom);""",
        """                    if (has_optional_chain) {
                        optional_chain_test(s, &optional_chaining_label, 1);
                    }
                    emit_source_loc(s);
                    emit_op(s, OP_get_field);
                    emit_atom(s, s->token.u.ident.atom);""",
    ),
    (
        "quickjs.c",
        """            emit_func_call:
                switch(opcode) {""",
        """            emit_func_call:
                if (call_line)
                    emit_source_loc_at(s, call_line, call_col);
                switch(opcode) {""",
    ),
    (
        "quickjs.c",
        """                /* apply function call */
                switch(opcode) {""",
        """                /* apply function call */
                if (call_line)
                    emit_source_loc_at(s, call_line, call_col);
                switch(opcode) {""",
    ),
    # Source maps (bundler/sourcemap.py): an error remembers that its stack is the text
    # QuickJS's own formatter wrote (not Error.prepareStackTrace's value), and the stack
    # getter maps that text the first time it is read, in a bundle with maps.
    (
        "quickjs.c",
        """    uint8_t is_HTMLDDA : 1; /* specific annex B IsHtmlDDA behavior */""",
        """    uint8_t is_HTMLDDA : 1; /* specific annex B IsHtmlDDA behavior */
    uint8_t edgebox_stack_raw : 1; /* u.object_data is a stack not yet source-mapped */""",
    ),
    (
        "quickjs.c",
        """    p->is_HTMLDDA = 0;""",
        """    p->is_HTMLDDA = 0;
    p->edgebox_stack_raw = 0;""",
    ),
    (
        "quickjs.c",
        """        p->u.object_data = stack;""",
        """        p->u.object_data = stack;
        p->edgebox_stack_raw = !has_prepare;""",
    ),
    (
        # Error.captureStackTrace writes a data property the getter never sees: mapped now.
        "quickjs.c",
        """           on the (possibly non-Error) target, shadowing the accessor */""",
        """           on the (possibly non-Error) target, shadowing the accessor */
        if (edgebox_source_maps && !has_prepare && JS_IsString(stack)) {
            JSValue mapped = edgebox_map_stack(ctx, stack);
            JS_FreeValue(ctx, stack);
            stack = mapped;
        }""",
    ),
    (
        "quickjs.c",
        """    if (p->class_id != JS_CLASS_ERROR)
        return JS_UNDEFINED;
    return js_dup(p->u.object_data);""",
        """    if (p->class_id != JS_CLASS_ERROR)
        return JS_UNDEFINED;
    if (edgebox_source_maps && p->edgebox_stack_raw && JS_IsString(p->u.object_data)) {
        JSValue mapped = edgebox_map_stack(ctx, p->u.object_data);
        JS_FreeValue(ctx, p->u.object_data);
        p->u.object_data = mapped;
        p->edgebox_stack_raw = 0;
    }
    return js_dup(p->u.object_data);""",
    ),
    (
        # A call of a wasm export from bytecode goes straight to glue.c's js_wasm_call: not
        # through JS_CallInternal's entry (the interpreter's prologue, made for bytecode) and
        # js_call_c_function's switch. The frame it pushes is js_call_c_function's, so stack
        # traces and the stack limit are as before (docs/performance.md, "Call overhead").
        "quickjs.c",
        """static JSValue JS_CallInternal(JSContext *caller_ctx, JSValueConst func_obj,""",
        """JSValue js_wasm_call(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv,
                    int magic); /* glue.c */

static inline bool edgebox_is_wasm_export(JSValueConst func_obj)
{
    JSObject *p;
    if (JS_VALUE_GET_TAG(func_obj) != JS_TAG_OBJECT)
        return false;
    p = JS_VALUE_GET_OBJ(func_obj);
    return p->class_id == JS_CLASS_C_FUNCTION &&
        p->u.cfunc.c_function.generic_magic == js_wasm_call;
}

static no_inline JSValue edgebox_call_wasm_export(JSContext *ctx, JSValueConst func_obj,
                                                  JSValueConst this_obj, int argc,
                                                  JSValueConst *argv)
{
    JSRuntime *rt = ctx->rt;
    JSObject *p = JS_VALUE_GET_OBJ(func_obj);
    JSStackFrame sf_s, *sf = &sf_s;
    JSValue ret_val;

    if (js_check_stack_overflow(rt, 0))
        return JS_ThrowStackOverflow(ctx);
    sf->prev_frame = rt->current_stack_frame;
    rt->current_stack_frame = sf;
    sf->is_strict_mode = false;
    sf->is_constructor = false;
    sf->cur_func = unsafe_unconst(func_obj);
    sf->arg_count = argc;
    sf->arg_buf = (JSValue *)argv;
    ret_val = js_wasm_call(p->u.cfunc.realm, this_obj, argc, argv, p->u.cfunc.magic);
    rt->current_stack_frame = sf->prev_frame;
    return ret_val;
}

static JSValue JS_CallInternal(JSContext *caller_ctx, JSValueConst func_obj,""",
    ),
    (
        "quickjs.c",
        """                ret_val = JS_CallInternal(ctx, call_argv[-1], JS_UNDEFINED,
                                          JS_UNDEFINED, call_argc,
                                          vc(call_argv), 0);
                if (unlikely(JS_IsException(ret_val)))
                    goto exception;
                if (opcode == OP_tail_call)""",
        """                if (edgebox_is_wasm_export(call_argv[-1]))
                    ret_val = edgebox_call_wasm_export(ctx, call_argv[-1], JS_UNDEFINED,
                                                       call_argc, vc(call_argv));
                else
                ret_val = JS_CallInternal(ctx, call_argv[-1], JS_UNDEFINED,
                                          JS_UNDEFINED, call_argc,
                                          vc(call_argv), 0);
                if (unlikely(JS_IsException(ret_val)))
                    goto exception;
                if (opcode == OP_tail_call)""",
    ),
    (
        "quickjs.c",
        """                ret_val = JS_CallInternal(ctx, call_argv[-1], call_argv[-2],
                                          JS_UNDEFINED, call_argc,
                                          vc(call_argv), 0);""",
        """                if (edgebox_is_wasm_export(call_argv[-1]))
                    ret_val = edgebox_call_wasm_export(ctx, call_argv[-1], call_argv[-2],
                                                       call_argc, vc(call_argv));
                else
                ret_val = JS_CallInternal(ctx, call_argv[-1], call_argv[-2],
                                          JS_UNDEFINED, call_argc,
                                          vc(call_argv), 0);""",
    ),
)

# QuickJS's paths that are slow in wasm32 (or slow everywhere: JSON.stringify, Map hashes),
# routed to fast_paths.c and the FAST_H headers (docs/performance.md, "JS speed against native
# QuickJS-NG"): applied after SOURCE_PATCHES, kept apart so that bench/js_suite.py's
# `upstream-paths` variant can build the engine without them.
FAST_PATH_PATCHES = (
    (
        "quickjs.c",
        """void edgebox_column_reset(void); /* glue.c */""",
        """void edgebox_column_reset(void); /* glue.c */
double edgebox_json_number(const char *p, const char *end); /* fast_paths.c */
double edgebox_fmod(double x, double y); /* fast_paths.c */
uint32_t edgebox_mix_hash(uint32_t h); /* fast_paths.c */
void *edgebox_realloc(void *ptr, size_t size); /* fast_paths.c */""",
    ),
    (
        # JSON numbers without wasi-libc's strtod, whose long double is software in wasm32.
        "quickjs.c",
        """    s->token.u.num.val = js_float64(strtod((const char *)p_start, NULL));""",
        """    s->token.u.num.val = js_float64(edgebox_json_number((const char *)p_start, (const char *)p));""",
    ),
    # `%` on numbers that are not both int32 without wasi-libc's bit-at-a-time fmod.
    ("quickjs.c", """            dr = fmod(d1, d2);""", """            dr = edgebox_fmod(d1, d2);"""),
    (
        "quickjs.c",
        """                sp[-2] = js_number(fmod(v1, v2));""",
        """                sp[-2] = js_number(edgebox_fmod(v1, v2));""",
    ),
    # Map and Set buckets from all the bits of a key's hash, not mostly its high ones.
    (
        "quickjs.c",
        """    return h ^ ctx->hash_seed ^ hash32(tag);""",
        """    return edgebox_mix_hash(h ^ ctx->hash_seed ^ hash32(tag));""",
    ),
    # Large blocks move with one memory.copy, not zig's realloc's byte loop.
    ("quickjs.c", """    return realloc(ptr, size);""", """    return edgebox_realloc(ptr, size);"""),
    # JSON.stringify's walk over plain objects, arrays and strings without the strings QuickJS
    # makes for every key, index and quoted value (fast_json.h).
    (
        "quickjs.c",
        """JSValue JS_JSONStringify(JSContext *ctx, JSValueConst obj,
                         JSValueConst replacer, JSValueConst space0)
{""",
        """#include "fast_json.h"

JSValue JS_JSONStringify(JSContext *ctx, JSValueConst obj,
                         JSValueConst replacer, JSValueConst space0)
{""",
    ),
    (
        "quickjs.c",
        """    if (js_json_to_str(ctx, jsc, wrapper, val, jsc->empty))""",
        """    if (edgebox_json_to_str(ctx, jsc, wrapper, val, jsc->empty))""",
    ),
    # QuickJS's own walk (replacer arrays, proxies, other classes) recurses through ours too, so
    # that the depth limit (fast_json.h) holds on every path.
    (
        "quickjs.c",
        """static int js_json_to_str(JSContext *ctx, JSONStringifyContext *jsc,
                          JSValueConst holder, JSValue val,
                          JSValueConst indent)
{""",
        """static int edgebox_json_to_str(JSContext *ctx, JSONStringifyContext *jsc, JSValueConst holder,
                               JSValue val, JSValueConst indent); /* fast_json.h */

static int js_json_to_str(JSContext *ctx, JSONStringifyContext *jsc,
                          JSValueConst holder, JSValue val,
                          JSValueConst indent)
{""",
    ),
    (
        "quickjs.c",
        """                if (JS_IsUndefined(v))
                    v = JS_NULL;
                if (js_json_to_str(ctx, jsc, val, v, indent1))""",
        """                if (JS_IsUndefined(v))
                    v = JS_NULL;
                if (edgebox_json_to_str(ctx, jsc, val, v, indent1))""",
    ),
    (
        "quickjs.c",
        """                    string_buffer_concat_value(jsc->b, sep1);
                    if (js_json_to_str(ctx, jsc, val, v, indent1))""",
        """                    string_buffer_concat_value(jsc->b, sep1);
                    if (edgebox_json_to_str(ctx, jsc, val, v, indent1))""",
    ),
    # An element defined at the end of a fast array (regexp match results, Array.from, map,
    # filter, split, JSON.parse) is appended, as JS_CreateProperty would after JS_DefineProperty
    # had looked it up: the same checks (extensible, plain data, length writable), no lookups.
    (
        "quickjs.c",
        """int JS_DefinePropertyValueValue(JSContext *ctx, JSValueConst this_obj,
                                JSValue prop, JSValue val, int flags)
{
    JSAtom atom;
    int ret;
""",
        """int JS_DefinePropertyValueValue(JSContext *ctx, JSValueConst this_obj,
                                JSValue prop, JSValue val, int flags)
{
    JSAtom atom;
    int ret;
    if (JS_VALUE_GET_TAG(prop) == JS_TAG_INT && JS_VALUE_GET_INT(prop) >= 0 &&
        JS_VALUE_GET_TAG(this_obj) == JS_TAG_OBJECT) {
        JSObject *p = JS_VALUE_GET_OBJ(this_obj);
        if (p->class_id == JS_CLASS_ARRAY && p->fast_array && p->extensible &&
            (uint32_t)JS_VALUE_GET_INT(prop) == p->u.array.count &&
            (flags & JS_PROP_C_W_E) == JS_PROP_C_W_E &&
            !(flags & (JS_PROP_HAS_GET | JS_PROP_HAS_SET)))
            return add_fast_array_element(ctx, p, val, flags);
    }
""",
    ),
    # toLowerCase and toUpperCase of a Latin-1 string in one pass over its bytes (fast_case.h).
    (
        "quickjs.c",
        """static JSValue js_string_toLowerCase(JSContext *ctx, JSValueConst this_val,""",
        """#include "fast_case.h"

static JSValue js_string_toLowerCase(JSContext *ctx, JSValueConst this_val,""",
    ),
    (
        "quickjs.c",
        """    if (string_buffer_init(ctx, b, p->len))
        goto fail;
    for(i = 0; i < p->len;) {
        c = string_getc(p, &i);
        if (c == 0x3a3""",
        """    if (!p->is_wide_char) {
        JSValue converted = edgebox_latin1_convert_case(ctx, val, to_lower);
        if (!JS_IsUninitialized(converted))
            return converted;
    }
    if (string_buffer_init(ctx, b, p->len))
        goto fail;
    for(i = 0; i < p->len;) {
        c = string_getc(p, &i);
        if (c == 0x3a3""",
    ),
)


class EngineArtifact(NamedTuple):  # not a dataclass: see errors.SourceSpan
    """A built engine.wasm and the identity recorded in every bundle made with it."""

    path: Path
    sha256: str
    quickjs_version: str
    build_key: str

    def identity(self) -> dict[str, str]:
        return {"name": "quickjs-ng", "version": self.quickjs_version, "sha256": self.sha256}


def _progress(msg: str) -> None:
    print(f"edgebox: {msg}", file=sys.stderr, flush=True)


def _zig_version() -> str:
    """The toolchain's identity: the ziglang package pins one zig release.

    Read from the name of its dist-info folder: running zig, or importlib.metadata,
    would add 10-30 ms to every start-up, and the key is computed on each run.
    """
    spec = importlib.util.find_spec("ziglang")
    if spec is None or spec.origin is None:
        raise EngineBuildError(
            "this edgebox has no prebuilt engine for its sources, and the ziglang package, which "
            "builds one, is not installed; install it with: pip install 'edgebox[toolchain]'"
        )
    site = Path(spec.origin).parent.parent
    infos = sorted(p.name for p in site.glob("ziglang-*.dist-info"))
    return infos[0].removesuffix(".dist-info") if infos else "ziglang-unknown"


def _sources_digest() -> str:
    """What the engine is built from, apart from the toolchain: sources, glue, flags (in this
    file). Remembered by the files' stats: reading and hashing their 630 KB on every start
    cost 1.5-6 ms."""

    def digest() -> str:
        import hashlib

        h = hashlib.sha256()
        h.update(QUICKJS_NG_SHA256.encode())
        for name in GLUE_FILES:
            h.update(name.encode() + b"\0" + (HERE / name).read_bytes())
        return h.hexdigest()

    files = files_digest([Path(__file__), *(HERE / name for name in GLUE_FILES)], digest)
    # The flags and patches as this process has them, not as this file's recorded stat says:
    # bench/js_suite.py's variants change them in their own process only.
    settings = json.dumps([CFLAGS, LDFLAGS, SOURCE_PATCHES, FAST_PATH_PATCHES])
    return sha256_hex(f"{files}\0{settings}".encode())


def source_key() -> str:
    """The key a shipped engine must have been built from; needs no ziglang."""
    return _sources_digest()[:32]


def build_key() -> str:
    """The development cache's key: the source key's inputs plus the zig release."""
    return sha256_hex(f"{_sources_digest()}\0{_zig_version()}".encode())[:32]


def _fetch_sdist(dest_dir: Path) -> Path:
    """Return the verified sdist, fetched with pip into the cache if needed."""
    import subprocess
    import tempfile

    sdist = dest_dir / QUICKJS_NG_SDIST
    if not sdist.exists():
        _progress(f"fetching the quickjs-ng {QUICKJS_NG_VERSION} sources with pip")
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [
                sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                "--no-binary", ":all:", "-d", tmp,
                f"quickjs-ng=={QUICKJS_NG_VERSION}",
            ]  # fmt: skip
            out = subprocess.run(cmd, capture_output=True, text=True, check=False)
            got = Path(tmp) / QUICKJS_NG_SDIST
            if out.returncode != 0 or not got.exists():
                raise EngineBuildError(
                    f"could not fetch the quickjs-ng {QUICKJS_NG_VERSION} sdist with pip: "
                    + (out.stderr.strip().splitlines() or ["no file downloaded"])[-1]
                )
            atomic_write_bytes(sdist, got.read_bytes())
    digest = sha256_hex(sdist.read_bytes())
    if digest != QUICKJS_NG_SHA256:
        sdist.unlink()
        raise EngineBuildError(
            f"{QUICKJS_NG_SDIST} has sha256 {digest}, expected the pinned {QUICKJS_NG_SHA256}; "
            "refusing to build from unverified sources"
        )
    return sdist


def _extract_sources(sdist: Path, dest: Path) -> Path:
    import tarfile

    prefix = f"quickjs_ng-{QUICKJS_NG_VERSION}/upstream-quickjs/"
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            if not member.name.startswith(prefix) or not member.isfile():
                continue
            name = member.name[len(prefix) :]
            if "/" in name or name.startswith("."):
                continue
            f = tar.extractfile(member)
            assert f is not None
            (dest / name).write_bytes(f.read())
    for file, text, replacement in (*SOURCE_PATCHES, *FAST_PATH_PATCHES):
        source = (dest / file).read_text(encoding="utf-8")
        if source.count(text) != 1:
            raise EngineBuildError(
                f"cannot apply EdgeBox's patch to {file}: the text it changes is not there once"
            )
        (dest / file).write_text(source.replace(text, replacement), encoding="utf-8")
    return dest


def _c_string(text: str) -> str:
    """A C string literal, escaped byte by byte so any source text survives."""
    body = "".join('\\n"\n"' if ch == "\n" else f"\\{ch}" if ch in '"\\' else ch for ch in text)
    return f'"{body}"'


def web_script_globals(source: str) -> list[str]:
    """The globals a web script defines (its `define("Name", ...)` calls)."""
    return re.findall(r'\bdefine\("([A-Za-z_$][\w$]*)"', source)


def _builtin_scripts() -> dict[str, tuple[str, str]]:
    """The engine's own scripts, prelude first then WEB_JS's order: file → (the name its
    frames show, source)."""
    names = {"prelude.js": "<edgebox prelude>", **{name: f"<edgebox {name}>" for name in WEB_JS}}
    return {file: (shown, (HERE / file).read_text(encoding="utf-8")) for file, shown in names.items()}


def _c_bytes(data: bytes) -> str:
    return "(const uint8_t[]){" + ",".join(map(str, data)) + "}" if data else "0"


def _prelude_header(dest: Path, bytecode: dict[str, bytes] | None = None) -> None:
    """prelude.h: the prelude, and the web scripts in WEB_JS order, as {name, source, bytecode,
    the globals it defines}. Without `bytecode` (the build's first link) the engine runs them
    from source; with it, it reads their bytecode and the source is left out. A LAZY_WEB_JS
    script's globals are given (otherwise ""): the engine evaluates it when a program first
    reads one of them (glue.c); the others at start-up."""

    def entry(file: str, shown: str, source: str) -> str:
        code = (bytecode or {}).get(file, b"")
        globals_ = ",".join(web_script_globals(source)) if file in LAZY_WEB_JS else ""
        text = _c_string("" if code else source)
        return f'    {{"{shown}", {text}, {_c_bytes(code)}, {len(code)}, "{globals_}"}}'

    scripts = _builtin_scripts()
    prelude = entry("prelude.js", *scripts.pop("prelude.js"))
    web = [entry(file, shown, source) for file, (shown, source) in scripts.items()]
    (dest / "prelude.h").write_text(
        "struct edgebox_builtin_script {\n"
        "    const char *name, *source; const uint8_t *bytecode; size_t bytecode_len; const char *globals;\n"
        "};\n"
        f"static const struct edgebox_builtin_script EDGEBOX_PRELUDE =\n{prelude};\n"
        "static const struct edgebox_builtin_script EDGEBOX_WEB_SCRIPTS[] = {\n" + ",\n".join(web) + "\n};\n"
    )


def _builtin_bytecode(engine_wasm: Path) -> dict[str, bytes]:
    """QuickJS bytecode for the engine's own scripts, compiled by a first link of the engine
    that carries them as source. The engine's code is the same in both links (only the data
    differs), so the bytecode's format is the one the final engine reads."""
    import wasmtime

    engine = wasmtime.Engine()
    module = wasmtime.Module.from_file(engine, str(engine_wasm))
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    linker = wasmtime.Linker(engine)
    linker.define_wasi()

    def no_host(*_args: object) -> None:
        raise EngineBuildError("compiling the engine's scripts called the host")

    for imp in module.imports:
        name = imp.name or ""
        if isinstance(imp.type, wasmtime.MemoryType):
            linker.define(store, imp.module, name, wasmtime.Memory(store, imp.type))
        elif imp.module != "wasi_snapshot_preview1" and isinstance(imp.type, wasmtime.FuncType):
            linker.define(store, imp.module, name, wasmtime.Func(store, imp.type, no_host))
    exports = linker.instantiate(store, module).exports(store)
    memory = exports["memory"]
    assert isinstance(memory, wasmtime.Memory)

    def call(name: str, *args: int) -> int:
        fn = exports[name]
        assert isinstance(fn, wasmtime.Func)
        result = fn(store, *args)
        return result if isinstance(result, int) else 0

    def put(data: bytes) -> int:
        ptr = call("edgebox_alloc", len(data) + 1)
        memory.write(store, data + b"\0", ptr)  # QuickJS reads one byte past the source
        return ptr

    def result() -> bytes:
        ptr, size = call("edgebox_result_ptr"), call("edgebox_result_len")
        return bytes(memory.read(store, ptr, ptr + size))

    call("_initialize")
    config = b'{"args": []}'
    if call("edgebox_init", put(config), len(config), 0, 0) != 0:
        raise EngineBuildError("the engine's first link did not start: " + result().decode(errors="replace"))
    out = {}
    for file, (shown, source) in _builtin_scripts().items():
        code = source.encode()
        if call("edgebox_compile_script", put(shown.encode()), put(code), len(code)) != 0:
            raise EngineBuildError(f"{file} does not compile: " + result().decode(errors="replace"))
        out[file] = result()
    return out


def _cc(args: list[str], cwd: Path) -> None:
    import subprocess

    out = subprocess.run(
        [sys.executable, "-m", "ziglang", "cc", *args], cwd=cwd, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise EngineBuildError("engine build failed: zig cc " + " ".join(args) + "\n" + out.stderr)


def _compile(src_dir: Path, out: Path) -> None:
    """Two links: the first carries the engine's own scripts as source and compiles them to
    bytecode (_builtin_bytecode); the second, the engine, carries that bytecode instead."""
    from concurrent.futures import ThreadPoolExecutor

    units = [*QUICKJS_SOURCES, "glue.c", *FAST_C, *WEB_C]
    (src_dir / "web").mkdir(exist_ok=True)
    for name in ("glue.c", *FAST_C, *FAST_H, "web/web.h", *WEB_C):
        (src_dir / name).write_bytes((HERE / name).read_bytes())
    _prelude_header(src_dir)

    def compile_unit(unit: str) -> None:
        _cc([*CFLAGS, "-I.", "-Iweb", "-c", unit, "-o", unit + ".o"], src_dir)

    def link(target: Path) -> None:
        _cc([*CFLAGS, *LDFLAGS, *(u + ".o" for u in units), "-o", str(target)], src_dir)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(compile_unit, units))
    link(src_dir / "engine-from-source.wasm")
    _prelude_header(src_dir, _builtin_bytecode(src_dir / "engine-from-source.wasm"))
    compile_unit("glue.c")
    link(out)


def ensure_engine() -> EngineArtifact:
    """The engine shipped in the wheel when it matches these sources, else the development build."""
    return shipped_engine() or ensure_built_engine()


def shipped_engine() -> EngineArtifact | None:
    """The wheel's prebuilt engine, if there is one and it was built from exactly these sources.

    A mismatch (glue edited after the wheel was built, a checkout with a stray engine.json)
    means None: the engine must be the one these sources describe, because bundles record
    its sha256 and edgebox-exec refuses one made for another engine.
    """
    try:
        info = json.loads(SHIPPED_INFO.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        _progress(f"{SHIPPED_INFO} is unreadable; not using the shipped engine")
        return None
    if not isinstance(info, dict) or info.get("source_key") != source_key():
        return None
    digest = info.get("sha256")
    if not isinstance(digest, str) or not file_has_sha256(SHIPPED_WASM, digest):
        _progress(f"the shipped engine {SHIPPED_WASM} is damaged; not using it")
        return None
    return EngineArtifact(SHIPPED_WASM, digest, str(info.get("quickjs_version")), str(info.get("build_key")))


def shipped_info(engine: EngineArtifact) -> dict[str, object]:
    """engine.json for a wheel that ships `engine` (written by setup.py next to engine.wasm)."""
    return {
        "source_key": source_key(),
        "build_key": engine.build_key,
        "sha256": engine.sha256,
        "quickjs_version": engine.quickjs_version,
        "toolchain": _zig_version(),
        "cflags": CFLAGS,
        "ldflags": LDFLAGS,
    }


def ensure_built_engine() -> EngineArtifact:
    """The development build: the cached engine, built first if this machine has none.

    A cache that cannot be written (read-only, full, a file where the directory should
    be) still serves an engine already in it; otherwise the engine is built in a
    temporary directory for this run, with a warning that names the cache and why.
    """
    key = build_key()
    root = cache_dir() / "engine"
    out_dir = root / key
    engine = _SCRATCH_ENGINES.get(key) or _cached_engine(out_dir, key)
    if engine is not None:
        return engine
    try:
        with locked(root / f"{key}.lock"):
            if _cached_engine(out_dir, key) is None:
                _build_into(root, out_dir)
    except OSError as e:
        if key in _SCRATCH_ENGINES:  # built for this process already
            return _SCRATCH_ENGINES[key]
        import atexit
        import shutil
        import tempfile

        cache_unusable(e)
        scratch = Path(tempfile.mkdtemp(prefix="edgebox-engine-"))
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        if (root / QUICKJS_NG_SDIST).is_file():  # sources already fetched into the old cache
            shutil.copyfile(root / QUICKJS_NG_SDIST, scratch / QUICKJS_NG_SDIST)
        _build_into(scratch, scratch / key)
        out_dir = scratch / key
    engine = _cached_engine(out_dir, key)
    if engine is None:
        raise EngineBuildError(f"the engine built in {out_dir} does not match its recorded hash")
    if out_dir.parent != root:
        _SCRATCH_ENGINES[key] = engine
    return engine


_SCRATCH_ENGINES: dict[str, EngineArtifact] = {}  # built outside an unusable cache, for this process


def _cached_engine(out_dir: Path, key: str) -> EngineArtifact | None:
    """The engine in `out_dir` if it is there and intact; a damaged one is removed."""
    meta = out_dir / "engine.json"
    wasm = out_dir / "engine.wasm"
    if not meta.exists():
        return None
    try:
        info = json.loads(meta.read_text())
        digest = info["sha256"]
        if isinstance(digest, str) and file_has_sha256(wasm, digest):
            return EngineArtifact(wasm, digest, info["quickjs_version"], key)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    # A damaged cache entry: rebuild rather than run a corrupt engine.
    _progress(f"the cached engine in {out_dir} is damaged; rebuilding it")
    try:
        meta.unlink(missing_ok=True)
    except OSError:
        pass
    return None


def _build_into(root: Path, out_dir: Path) -> None:
    import tempfile

    _progress(
        f"building the JS engine (QuickJS-NG {QUICKJS_NG_VERSION} → wasm32-wasi with ziglang); "
        "this takes about half a minute, once per machine"
    )
    sdist = _fetch_sdist(root)
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        src = _extract_sources(sdist, Path(tmp))
        target = Path(tmp) / "engine.wasm"
        _compile(src, target)
        data = target.read_bytes()
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out_dir / "engine.wasm", data)
    info = {
        "sha256": sha256_hex(data),
        "quickjs_version": QUICKJS_NG_VERSION,
        "cflags": CFLAGS,
        "ldflags": LDFLAGS,
    }
    atomic_write_bytes(out_dir / "engine.json", json.dumps(info, indent=2).encode())
    _progress(f"engine built: {len(data) // 1024} KiB, cached in {out_dir}")
