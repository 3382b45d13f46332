/*
 * EdgeBox engine glue: the small C layer between QuickJS-NG and the host.
 *
 * This file is compiled together with the QuickJS-NG sources into one
 * wasm32-wasi reactor (engine.wasm). The host (Python, bundler/runtime) only
 * sets things up through the exports below; once `edgebox_run` is called, JS
 * runs here and calls wasm exports through the imported `edgebox_adapter.invoke`,
 * a wasm function generated at bundle time. No host frame is on that path.
 *
 * Value slots: a call passes its arguments and receives its results through an
 * array of 8-byte slots on the C (shadow) stack, which lives in the linear memory
 * shared with the adapter. i32/f32 use the low 4 bytes, i64/f64 all 8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "quickjs.h"
#include "prelude.h" /* generated from prelude.js and web/*.js: EDGEBOX_PRELUDE, EDGEBOX_WEB_SCRIPTS */
#include "web/web.h"

#define EXPORT(name) __attribute__((export_name(name)))
/* Slots are function magic numbers, which QuickJS keeps in an int16 (stubs.py MAX_SLOTS). */
#define MAX_SLOT 32767
#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))

/* Generated per bundle: dispatches on func_id to the user export, reading
 * arguments from and writing results to `slots`. Returns 0, or 1 when a JS
 * exception thrown by a JS function the wasm code imported unwound through it
 * (the exception is still pending in the context). */
IMPORT("edgebox_adapter", "invoke") int32_t adapter_invoke(int32_t func_id, void *slots);

/* The host's side of the WebAssembly JS API at run time (engine/late_link.py): one JSON
 * request (a NUL, then wasm bytes, after it) → the answer's JSON in `out`. Returns the
 * answer's length; when that is more than `cap`, nothing was written: ask again with room.
 * Python runs here only to compile and instantiate, never on a call. */
IMPORT("edgebox_host", "request") int32_t host_request(const void *req, int32_t len, void *out, int32_t cap);

typedef union Slot {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
} Slot;

/* A wasm export as JS sees it: its types as one letter each
 * (i=i32, I=i64, f=f32, F=f64, v=v128, r=a reference type). */
typedef struct WasmFunc {
    char *name;     /* "module.wasm#export", for messages */
    char *params;
    char *results;
    int nparams, nresults, nslots;
    int uncallable; /* a v128/reference type: calling throws TypeError */
} WasmFunc;

typedef struct BundledModule {
    char *name;
    uint8_t *data;
    size_t len;
    int is_bytecode;
    JSModuleDef *def; /* once loaded: for moduleNameOf */
} BundledModule;

static JSRuntime *rt;
static JSContext *ctx;
static WasmFunc *funcs;
static int nfuncs, funcs_cap;
static BundledModule *modules;
static int nmodules, modules_cap, modules_sorted;
static JSValue config;       /* {resolve: {base: {specifier: target}}, args: [...]} */
static JSValue prelude_api;  /* object returned by the prelude script */
static JSValue web_native;   /* the natives object the web scripts are called with */
static int call_prelude_value(const char *fn_name, int argc, JSValueConst *argv, JSValue *out);
static int32_t current_func = -1; /* the wasm export being called, read by the host after a trap */
/* Set when a JS function wasm imports threw: its exception is pending in the engine
 * until the wasm call returns (or wasm catches it, and then it must be dropped). */
static int js_import_threw;

static JSValue *live_refresh; /* stub functions re-reading mutable globals */
static int nlive_refresh, live_refresh_cap;
static int in_refresh;

static void refresh_live_bindings(JSContext *c) {
    if (in_refresh) return;
    in_refresh = 1;
    for (int i = 0; i < nlive_refresh; i++) {
        JSValue r = JS_Call(c, live_refresh[i], JS_UNDEFINED, 0, NULL);
        JS_FreeValue(c, r); /* reading a global cannot fail; an exception here is dropped */
    }
    in_refresh = 0;
}

/* --trap-mode=exception: the host's invoke returns 2 after a trap and writes the
 * message here; the call then throws WebAssembly.RuntimeError. */
static char trap_message[512];
EXPORT("edgebox_trap_buffer") char *edgebox_trap_buffer(void) { return trap_message; }
EXPORT("edgebox_trap_buffer_size") int32_t edgebox_trap_buffer_size(void) { return sizeof trap_message; }

static uint8_t *result_ptr; /* last result of edgebox_compile, read by the host */
static size_t result_len;

/* ---- host-facing exports: memory ------------------------------------------ */

EXPORT("edgebox_alloc") void *edgebox_alloc(size_t n) { return malloc(n ? n : 1); }
EXPORT("edgebox_free") void edgebox_free(void *p) { free(p); }
EXPORT("edgebox_result_ptr") uint8_t *edgebox_result_ptr(void) { return result_ptr; }
EXPORT("edgebox_result_len") size_t edgebox_result_len(void) { return result_len; }
EXPORT("edgebox_current_func") int32_t edgebox_current_func(void) { return current_func; }

static void set_result(const void *data, size_t len) {
    free(result_ptr);
    result_ptr = malloc(len + 1);
    memcpy(result_ptr, data, len);
    result_ptr[len] = 0;
    result_len = len;
}

/* ---- live memory buffers ------------------------------------------------------ */

/* An exported wasm memory as the engine sees it: a window, the address in this engine's
 * memory where the host mapped the module's pages (engine/memories.py), and the
 * ArrayBuffer JS was last given over it. The host counts a generation whenever a user
 * memory grows; after every call into wasm, and whenever wasm calls JS, the engine
 * compares it and detaches the buffers whose memory grew, as the JS API specifies. */
typedef struct MemoryView {
    int32_t size_slot; /* the adapter slot that answers memory.size: the memory's identity */
    uint32_t window;   /* 0: no window (reason says why) */
    int32_t reason;    /* 1: not Linux; 2: no room in the engine's address space */
    JSValue buffer;    /* JS_UNDEFINED until first asked for */
    size_t byte_length;
} MemoryView;

static MemoryView *views;
static int nviews, views_cap;
static volatile uint32_t memory_generation; /* written by the host (a grow), read here */
static uint32_t seen_generation;

/* Marks ArrayBuffers over wasm memory: QuickJS refuses to transfer them (build.py's patch),
 * as the JS API refuses to detach a Memory's buffer but by growing it. */
char edgebox_wasm_memory_marker;

/* A window for a user memory: n bytes (whole pages) of this memory, which the host maps the
 * user memory's pages over. Inside the memory's size, so that memcpy and memset (memory.copy
 * and memory.fill, bounds-checked against it) reach it. Taken by growing the memory itself,
 * not from malloc: exactly n bytes, page-aligned, and nothing of the allocator's in them
 * (malloc's sbrk carries on above; dlmalloc takes a foreign grow as a gap). Never freed.
 * 0 when the memory cannot grow that far. */
EXPORT("edgebox_alloc_window") uint32_t edgebox_alloc_window(uint32_t n) {
    if (n == 0 || n % 65536) return 0;
    size_t old = __builtin_wasm_memory_grow(0, n / 65536);
    return old == (size_t)-1 ? 0 : (uint32_t)(old * 65536);
}

EXPORT("edgebox_generation_ptr") volatile uint32_t *edgebox_generation_ptr(void) { return &memory_generation; }

EXPORT("edgebox_set_window")
void edgebox_set_window(int32_t size_slot, uint32_t window, int32_t reason) {
    if (nviews == views_cap) {
        views_cap = views_cap ? views_cap * 2 : 8;
        views = realloc(views, sizeof(MemoryView) * views_cap);
    }
    views[nviews++] = (MemoryView){size_slot, window, reason, JS_UNDEFINED, 0};
}

static MemoryView *find_view(int32_t size_slot) {
    for (int i = 0; i < nviews; i++)
        if (views[i].size_slot == size_slot) return &views[i];
    return NULL;
}

/* The memory's size now, in bytes, from its memory.size slot. */
static int memory_bytes(int32_t size_slot, size_t *bytes) {
    Slot slots[1];
    if (adapter_invoke(size_slot, slots) != 0) return -1;
    *bytes = (size_t)(uint32_t)slots[0].i32 * 65536;
    return 0;
}

static void drop_buffer(JSContext *c, MemoryView *v) {
    if (JS_IsUndefined(v->buffer)) return;
    JS_DetachArrayBuffer(c, v->buffer);
    JS_FreeValue(c, v->buffer);
    v->buffer = JS_UNDEFINED;
}

/* Some memory grew: every buffer whose memory is now larger is detached. */
static void refresh_views(JSContext *c) {
    seen_generation = memory_generation;
    for (int i = 0; i < nviews; i++) {
        MemoryView *v = &views[i];
        size_t bytes;
        if (JS_IsUndefined(v->buffer) || memory_bytes(v->size_slot, &bytes) != 0) continue;
        if (bytes != v->byte_length) drop_buffer(c, v);
    }
}

#define CHECK_MEMORY_GROWTH(c) do { if (memory_generation != seen_generation) refresh_views(c); } while (0)

/* edgebox:wasm `buffer(size_slot)`: the memory's buffer, the same object until the memory
 * grows (or the buffer was detached some other way). */
static JSValue js_memory_buffer(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv, int magic) {
    MemoryView *v = find_view(magic);
    if (argc > 0 && JS_ToBool(c, argv[0])) { /* buffer(true): Memory.grow from JS, even by 0, */
        if (v) drop_buffer(c, v);                /* refreshes the buffer, as the JS API says */
        return JS_UNDEFINED;
    }
    if (!v || !v->window)
        return JS_ThrowTypeError(c, "%s",
                                 v && v->reason == 2
                                     ? "this memory has no live buffer: the engine's memory has no room left for it "
                                       "(the JS heap and a window as large as each exported memory may grow "
                                       "must fit in 4 GiB); lower --wasm-memory-limit (or --heap-limit)"
                                     : "live memory buffers need Linux (memfd); use the Memory API's read and "
                                       "write (docs/guide.md)");
    size_t bytes;
    if (memory_bytes(v->size_slot, &bytes) != 0) return JS_EXCEPTION;
    if (!JS_IsUndefined(v->buffer)) {
        size_t now;
        uint8_t *data = JS_GetArrayBuffer(c, &now, v->buffer);
        if (data && now == bytes) return JS_DupValue(c, v->buffer);
        if (!data) JS_FreeValue(c, JS_GetException(c)); /* detached: make a new one */
        drop_buffer(c, v);
    }
    v->buffer = JS_NewArrayBuffer(c, (uint8_t *)(uintptr_t)v->window, bytes, 0 /* not resizable */, NULL,
                                  &edgebox_wasm_memory_marker, false);
    if (JS_IsException(v->buffer)) {
        v->buffer = JS_UNDEFINED;
        return JS_EXCEPTION;
    }
    v->byte_length = bytes;
    return JS_DupValue(c, v->buffer);
}

/* ---- calling wasm ----------------------------------------------------------- */

/* ---- externref: JS values that wasm holds --------------------------------------
 * wasm gets a number for each distinct JS value it is given (link.py REF_HELPERS makes it an
 * i31ref there, so it is a real externref to wasm and comes back as the same number); -1 is
 * null. The values stay alive for the rest of the run: wasm may keep any of them anywhere.
 * The same object or string gets the same number (a Map, made before any user code ran, so
 * its methods are the real ones); numbers are not looked up (-0 must come back as -0). */
static JSValue *refs;
static int32_t nrefs, refs_cap;
static JSValue ref_numbers = JS_UNDEFINED, map_get = JS_UNDEFINED, map_set = JS_UNDEFINED;

static void init_refs(JSContext *c) {
    JSValue global = JS_GetGlobalObject(c);
    JSValue map_ctor = JS_GetPropertyStr(c, global, "Map");
    ref_numbers = JS_CallConstructor(c, map_ctor, 0, NULL);
    JSValue proto = JS_GetPropertyStr(c, map_ctor, "prototype");
    map_get = JS_GetPropertyStr(c, proto, "get");
    map_set = JS_GetPropertyStr(c, proto, "set");
    JS_FreeValue(c, proto);
    JS_FreeValue(c, map_ctor);
    JS_FreeValue(c, global);
}

static int ref_of(JSContext *c, JSValueConst v, int32_t *out) {
    if (JS_IsNull(v)) {
        *out = -1;
        return 0;
    }
    int lookup = !JS_IsNumber(v);
    if (lookup) {
        JSValue got = JS_Call(c, map_get, ref_numbers, 1, (JSValueConst *)&v);
        if (JS_IsException(got)) return -1;
        if (JS_VALUE_GET_TAG(got) == JS_TAG_INT) {
            *out = JS_VALUE_GET_INT(got);
            return 0;
        }
        JS_FreeValue(c, got);
    }
    if (nrefs >= (1 << 30)) {
        JS_ThrowRangeError(c, "too many distinct values passed to wasm as externref");
        return -1;
    }
    if (nrefs == refs_cap) {
        int32_t cap = refs_cap ? refs_cap * 2 : 64;
        JSValue *grown = realloc(refs, sizeof(JSValue) * cap);
        if (!grown) {
            JS_ThrowOutOfMemory(c);
            return -1;
        }
        refs = grown;
        refs_cap = cap;
    }
    refs[nrefs] = JS_DupValue(c, v);
    if (lookup) {
        JSValue args[2] = {JS_DupValue(c, v), JS_NewInt32(c, nrefs)};
        JSValue r = JS_Call(c, map_set, ref_numbers, 2, args);
        JS_FreeValue(c, args[0]);
        if (JS_IsException(r)) return -1;
        JS_FreeValue(c, r);
    }
    *out = nrefs++;
    return 0;
}

/* The JS value for a number wasm gave back; a number wasm made up itself is null. */
static JSValue ref_value(JSContext *c, int32_t h) {
    if (h < 0 || h >= nrefs) return JS_NULL;
    return JS_DupValue(c, refs[h]);
}

static JSValue to_slot(JSContext *c, const WasmFunc *f, char type, JSValueConst v, Slot *s) {
    switch (type) {
    case 'i':
        if (JS_ToInt32(c, &s->i32, v)) return JS_EXCEPTION;
        break;
    case 'I':
        if (JS_ToBigInt64(c, &s->i64, v)) return JS_EXCEPTION;
        break;
    case 'f': {
        double d;
        if (JS_ToFloat64(c, &d, v)) return JS_EXCEPTION;
        s->f32 = (float)d;
        break;
    }
    case 'F':
        if (JS_ToFloat64(c, &s->f64, v)) return JS_EXCEPTION;
        break;
    case 'E': /* (ref extern): any JS value but null */
        if (JS_IsNull(v))
            return JS_ThrowTypeError(c, "%s: null is not a valid (ref extern) value", f ? f->name : "wasm import");
        /* fall through */
    case 'e':
        if (ref_of(c, v, &s->i32)) return JS_EXCEPTION;
        break;
    default:
        return JS_ThrowTypeError(c, "%s: type cannot be converted from JS", f ? f->name : "wasm import");
    }
    return JS_UNDEFINED;
}

static JSValue from_slot(JSContext *c, char type, const Slot *s) {
    switch (type) {
    case 'i': return JS_NewInt32(c, s->i32);
    case 'I': return JS_NewBigInt64(c, s->i64);
    case 'f': return JS_NewFloat64(c, (double)s->f32);
    case 'e':
    case 'E': return ref_value(c, s->i32);
    default: return JS_NewFloat64(c, s->f64);
    }
}

static JSValue throw_runtime_error(JSContext *c) {
    JSValue msg = JS_NewString(c, trap_message);
    JSValue err;
    if (call_prelude_value("makeRuntimeError", 1, &msg, &err) < 0) {
        JS_FreeValue(c, msg);
        return JS_EXCEPTION;
    }
    JS_FreeValue(c, msg);
    return JS_Throw(c, err);
}

void edgebox_limit_error(JSContext *c, int kind);

/* --trap-mode=exception: the host's invoke returns 3 when JS -> wasm -> JS calls nest
 * deeper than the host's own stack allows; that is the stack limit, as in JS. */
static JSValue throw_stack_limit(JSContext *c) {
    JS_ThrowRangeError(c, "Maximum call stack size exceeded");
    edgebox_limit_error(c, 2);
    return JS_EXCEPTION;
}

#define MAX_INLINE_SLOTS 16

/* Not static: quickjs.c calls it directly from the interpreter's call opcodes (build.py). */
JSValue js_wasm_call(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv,
                     int magic) {
    const WasmFunc *f = &funcs[magic];
    if (f->uncallable)
        return JS_ThrowTypeError(c, "%s: a v128 or reference type cannot cross between JS and wasm",
                                 f->name);
    Slot inline_slots[MAX_INLINE_SLOTS];
    Slot *slots = f->nslots <= MAX_INLINE_SLOTS ? inline_slots : malloc(sizeof(Slot) * f->nslots);
    for (int i = 0; i < f->nparams; i++) {
        JSValueConst v = i < argc ? argv[i] : JS_UNDEFINED;
        /* fast path: a small integer into an i32 is the common case and needs no conversion */
        if (f->params[i] == 'i' && JS_VALUE_GET_TAG(v) == JS_TAG_INT) {
            slots[i].i32 = JS_VALUE_GET_INT(v);
            continue;
        }
        if (JS_IsException(to_slot(c, f, f->params[i], v, &slots[i]))) {
            if (slots != inline_slots) free(slots);
            return JS_EXCEPTION;
        }
    }
    int32_t saved = current_func;
    current_func = magic;
    int32_t status = adapter_invoke(magic, slots);
    current_func = saved;
    CHECK_MEMORY_GROWTH(c); /* also when it trapped or threw: a grow before that still counts */
    if (status != 0) {
        js_import_threw = 0;
        if (slots != inline_slots) free(slots);
        if (status == 2) return throw_runtime_error(c);
        if (status == 3) return throw_stack_limit(c);
        return JS_EXCEPTION; /* thrown by JS that the wasm code called; still pending */
    }
    /* A JS exception that wasm code caught (catch_all around a call of a JS import) was
     * thrown away there, as in V8: it must not stay pending in the engine. */
    if (js_import_threw) {
        js_import_threw = 0;
        if (JS_HasException(c)) JS_FreeValue(c, JS_GetException(c));
    }
    if (nlive_refresh) refresh_live_bindings(c);
    JSValue ret;
    if (f->nresults == 0) {
        ret = JS_UNDEFINED;
    } else if (f->nresults == 1) {
        ret = from_slot(c, f->results[0], &slots[0]);
    } else {
        ret = JS_NewArray(c);
        for (int i = 0; i < f->nresults; i++)
            JS_SetPropertyUint32(c, ret, i, from_slot(c, f->results[i], &slots[i]));
    }
    if (slots != inline_slots) free(slots);
    return ret;
}

/* ---- wasm calling JS ------------------------------------------------------ */

/* A JS function a wasm module imports, bound by the wasm module's stub. */
typedef struct JSImport {
    JSValue fn;
    char *name; /* "log.js#log", for messages */
    char *params;
    char *results;
} JSImport;

static JSImport *js_imports;
static int njs_imports, js_imports_cap;

/* Called by the generated trampoline (through the late-bound table) when wasm
 * calls an imported JS function. Arguments arrive in `slots`; results go back
 * there. Returns 0, or 1 with a JS exception pending (the trampoline then throws
 * a wasm exception that unwinds the wasm frames back to the adapter). */
EXPORT("edgebox_call_js")
int32_t edgebox_call_js(int32_t id, Slot *slots) {
    JSContext *c = ctx;
    if (id == -1) { /* the trampolines' argument stack is full: as deep as the stack limit */
        throw_stack_limit(c);
        js_import_threw = 1;
        return 1;
    }
    if (id < 0 || id >= njs_imports || JS_IsUndefined(js_imports[id].fn)) {
        JS_ThrowTypeError(c, "a wasm module called an imported JS function before its module was evaluated");
        js_import_threw = 1;
        return 1;
    }
    CHECK_MEMORY_GROWTH(c); /* the wasm code may have grown a memory before calling JS */
    JSImport *imp = &js_imports[id];
    int nparams = strlen(imp->params), nresults = strlen(imp->results);
    JSValue argv[nparams > 0 ? nparams : 1];
    for (int i = 0; i < nparams; i++) argv[i] = from_slot(c, imp->params[i], &slots[i]);
    JSValue r = JS_Call(c, imp->fn, JS_UNDEFINED, nparams, argv);
    for (int i = 0; i < nparams; i++) JS_FreeValue(c, argv[i]);
    if (JS_IsException(r)) {
        js_import_threw = 1;
        return 1;
    }
    int status = 0;
    if (nresults == 1) {
        status = JS_IsException(to_slot(c, NULL, imp->results[0], r, &slots[0]));
    } else if (nresults > 1) {
        /* several results: the JS function returns an iterable (WebAssembly JS API) */
        for (int i = 0; i < nresults && !status; i++) {
            JSValue v = JS_GetPropertyUint32(c, r, i);
            if (JS_IsException(v)) { status = 1; break; }
            status = JS_IsException(to_slot(c, NULL, imp->results[i], v, &slots[i]));
            JS_FreeValue(c, v);
        }
    }
    JS_FreeValue(c, r);
    if (!status && nlive_refresh) refresh_live_bindings(c);
    js_import_threw |= status;
    return status;
}

/* edgebox:wasm `bindImport(id, name, params, results, fn)`: called by a wasm stub
 * with the JS function its module imports. */
static JSValue js_bind_import(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int32_t id;
    if (argc < 5 || JS_ToInt32(c, &id, argv[0]) || id < 0 || id > 1000000)
        return JS_ThrowTypeError(c, "edgebox:wasm bindImport: bad arguments");
    const char *name = JS_ToCString(c, argv[1]);
    if (!name) return JS_EXCEPTION;
    if (!JS_IsFunction(c, argv[4])) {
        JSValue e = JS_ThrowTypeError(c, "%s is imported by wasm as a function, but it is not callable", name);
        JS_FreeCString(c, name);
        return e;
    }
    if (id >= njs_imports) {
        if (id >= js_imports_cap) {
            int cap = js_imports_cap ? js_imports_cap : 64;
            while (cap <= id) cap *= 2;
            js_imports = realloc(js_imports, sizeof(JSImport) * cap);
            js_imports_cap = cap;
        }
        for (int i = njs_imports; i <= id; i++) {
            js_imports[i].fn = JS_UNDEFINED;
            js_imports[i].name = js_imports[i].params = js_imports[i].results = NULL;
        }
        njs_imports = id + 1;
    }
    JSImport *imp = &js_imports[id];
    JS_FreeValue(c, imp->fn);
    imp->fn = JS_DupValue(c, argv[4]);
    if (!imp->name) {
        const char *params = JS_ToCString(c, argv[2]);
        const char *results = JS_ToCString(c, argv[3]);
        imp->name = strdup(name);
        imp->params = strdup(params ? params : "");
        imp->results = strdup(results ? results : "");
        JS_FreeCString(c, params);
        JS_FreeCString(c, results);
    }
    JS_FreeCString(c, name);
    return JS_UNDEFINED;
}

/* edgebox:wasm `live(fn)`: fn re-reads a stub's mutable globals; it runs after
 * every call into wasm, so JS sees a mutable global's value as wasm left it. */
static JSValue js_register_live(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    if (argc < 1 || !JS_IsFunction(c, argv[0])) return JS_ThrowTypeError(c, "live: a function expected");
    if (nlive_refresh == live_refresh_cap) {
        live_refresh_cap = live_refresh_cap ? live_refresh_cap * 2 : 16;
        live_refresh = realloc(live_refresh, sizeof(JSValue) * live_refresh_cap);
    }
    live_refresh[nlive_refresh++] = JS_DupValue(c, argv[0]);
    return JS_UNDEFINED;
}


/* edgebox:wasm `copy(slot, direction)`: the JS function that copies between an exported
 * wasm memory and the bytes of a typed array in the engine. `slot` is the adapter's
 * mem.read (direction 0: memory -> view) or mem.write (1: view -> memory) case.
 *
 * f(view, offset) returns 0, or 1 when [offset, offset + view.byteLength) is outside the
 * wasm memory (the adapter checks that side). The engine address and length come from
 * the view's own internals, checked here against its buffer after every conversion that
 * could run JS, so JS can never hand the adapter an address: the only engine bytes a
 * copy touches are the view's. */
uint8_t *edgebox_view_bytes(JSContext *c, JSValueConst view, size_t *length) {
    size_t offset, size;
    JSValue ab = JS_GetTypedArrayBuffer(c, view, &offset, length, NULL);
    if (JS_IsException(ab)) return NULL;
    uint8_t *data = JS_GetArrayBuffer(c, &size, ab);
    JS_FreeValue(c, ab);
    if (!data) return NULL;
    if (offset > size || *length > size - offset) {
        JS_ThrowRangeError(c, "the view lies outside its buffer");
        return NULL;
    }
    return data + offset;
}

static JSValue memory_copy(JSContext *c, int argc, JSValueConst *argv, int32_t slot, int to_memory) {
    uint64_t user_offset;
    if (JS_ToIndex(c, &user_offset, argc > 1 ? argv[1] : JS_UNDEFINED)) return JS_EXCEPTION;
    size_t view_length;
    uint8_t *bytes = edgebox_view_bytes(c, argc > 0 ? argv[0] : JS_UNDEFINED, &view_length);
    if (!bytes) return JS_EXCEPTION;
    if (user_offset > 0xffffffffu || view_length > 0xffffffffu - user_offset)
        return JS_NewInt32(c, 1);
    int32_t engine_ptr = (int32_t)(uintptr_t)bytes;
    Slot slots[3];
    slots[to_memory ? 1 : 0].i32 = engine_ptr;
    slots[to_memory ? 0 : 1].i32 = (int32_t)user_offset;
    slots[2].i32 = (int32_t)view_length;
    if (view_length == 0) return JS_NewInt32(c, 0);
    int32_t status = adapter_invoke(slot, slots);
    if (status == 2) return throw_runtime_error(c);
    if (status == 3) return throw_stack_limit(c);
    if (status != 0) return JS_EXCEPTION;
    return JS_NewInt32(c, slots[0].i32);
}

/* The slot is the function's magic number (a QuickJS int16: link.py keeps slots below). */
static JSValue js_memory_read(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv, int magic) {
    return memory_copy(c, argc, argv, magic, 0);
}

static JSValue js_memory_write(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv, int magic) {
    return memory_copy(c, argc, argv, magic, 1);
}

static JSValue js_make_memory_buffer(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int32_t slot;
    if (argc < 1 || JS_ToInt32(c, &slot, argv[0]) || slot < 0 || slot > MAX_SLOT)
        return JS_ThrowTypeError(c, "edgebox:wasm buffer: bad arguments");
    return JS_NewCFunctionMagic(c, js_memory_buffer, "buffer", 0, JS_CFUNC_generic_magic, slot);
}

static JSValue js_make_memory_copy(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int32_t slot, direction;
    if (argc < 2 || JS_ToInt32(c, &slot, argv[0]) || JS_ToInt32(c, &direction, argv[1]) || slot < 0 ||
        slot > MAX_SLOT || (direction != 0 && direction != 1))
        return JS_ThrowTypeError(c, "edgebox:wasm copy: bad arguments");
    return JS_NewCFunctionMagic(c, direction ? js_memory_write : js_memory_read, direction ? "write" : "read", 2,
                                JS_CFUNC_generic_magic, slot);
}

/* edgebox:wasm `func(id, name, params, results)`: the JS function for wasm export `id`.
 * Called by the generated stub modules only. */
static JSValue js_make_wasm_func(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int32_t id;
    if (argc < 4 || JS_ToInt32(c, &id, argv[0]) || id < 0 || id > MAX_SLOT)
        return JS_ThrowTypeError(c, "edgebox:wasm func: bad arguments");
    if (id >= nfuncs) {
        int cap = funcs_cap ? funcs_cap : 64;
        while (cap <= id) cap *= 2;
        if (cap != funcs_cap) {
            funcs = realloc(funcs, sizeof(WasmFunc) * cap);
            funcs_cap = cap;
        }
        memset(funcs + nfuncs, 0, sizeof(WasmFunc) * (id + 1 - nfuncs));
        nfuncs = id + 1;
    }
    WasmFunc *f = &funcs[id];
    if (!f->name) {
        const char *name = JS_ToCString(c, argv[1]);
        const char *params = JS_ToCString(c, argv[2]);
        const char *results = JS_ToCString(c, argv[3]);
        if (!name || !params || !results) return JS_EXCEPTION;
        f->name = strdup(name);
        f->params = strdup(params);
        f->results = strdup(results);
        JS_FreeCString(c, name);
        JS_FreeCString(c, params);
        JS_FreeCString(c, results);
        f->nparams = strlen(f->params);
        f->nresults = strlen(f->results);
        f->nslots = f->nparams > f->nresults ? f->nparams : f->nresults;
        if (f->nslots == 0) f->nslots = 1;
        f->uncallable = strpbrk(f->params, "vr") != NULL || strpbrk(f->results, "vr") != NULL;
    }
    const char *short_name = strrchr(f->name, '#');
    return JS_NewCFunctionMagic(c, js_wasm_call, short_name ? short_name + 1 : f->name, f->nparams,
                                JS_CFUNC_generic_magic, id);
}

static int wasm_module_init(JSContext *c, JSModuleDef *m) {
    if (JS_SetModuleExport(c, m, "func", JS_NewCFunction(c, js_make_wasm_func, "func", 4))) return -1;
    if (JS_SetModuleExport(c, m, "bindImport", JS_NewCFunction(c, js_bind_import, "bindImport", 5))) return -1;
    if (JS_SetModuleExport(c, m, "live", JS_NewCFunction(c, js_register_live, "live", 1))) return -1;
    if (JS_SetModuleExport(c, m, "memory", JS_GetPropertyStr(c, prelude_api, "makeMemory"))) return -1;
    if (JS_SetModuleExport(c, m, "moduleSource", JS_GetPropertyStr(c, prelude_api, "moduleSource"))) return -1;
    if (JS_SetModuleExport(c, m, "table", JS_GetPropertyStr(c, prelude_api, "bundledTable"))) return -1;
    if (JS_SetModuleExport(c, m, "instantiate", JS_GetPropertyStr(c, prelude_api, "instantiateBundled"))) return -1;
    /* a binding in its temporal dead zone for good: what a v128 global export is to JS (the
     * ESM-integration proposal makes reading one a ReferenceError) */
    if (JS_SetModuleExport(c, m, "uninitialized", JS_UNINITIALIZED)) return -1;
    if (JS_SetModuleExport(c, m, "buffer", JS_NewCFunction(c, js_make_memory_buffer, "buffer", 1))) return -1;
    return JS_SetModuleExport(c, m, "copy", JS_NewCFunction(c, js_make_memory_copy, "copy", 2));
}

/* ---- module loading from the bundle --------------------------------------- */

EXPORT("edgebox_add_module")
void edgebox_add_module(const char *name, uint8_t *data, size_t len, int is_bytecode) {
    if (nmodules == modules_cap) {
        modules_cap = modules_cap ? modules_cap * 2 : 64;
        modules = realloc(modules, sizeof(BundledModule) * modules_cap);
    }
    modules[nmodules].name = strdup(name);
    modules[nmodules].data = data; /* ownership passes to the engine */
    modules[nmodules].len = len;
    modules[nmodules].is_bytecode = is_bytecode;
    modules[nmodules].def = NULL;
    nmodules++;
    modules_sorted = 0;
}

/* The next of the modules a host buffer frames (edgebox_add_modules, edgebox_compile_many):
 * the name and a NUL, a u32 length and a u32 flag (little-endian), the data and a NUL.
 * 0 at the end of the buffer, -1 when what is left is not a whole module. */
static int next_framed(const uint8_t *buf, size_t len, size_t *at, const char **name,
                       const uint8_t **data, uint32_t *dlen, uint32_t *flag) {
    if (*at >= len) return 0;
    const char *n = (const char *)buf + *at;
    size_t nlen = strnlen(n, len - *at);
    if (nlen == len - *at || len - *at - nlen - 1 < 8) return -1;
    size_t p = *at + nlen + 1;
    memcpy(dlen, buf + p, 4);
    memcpy(flag, buf + p + 4, 4);
    p += 8;
    if ((size_t)*dlen >= len - p || buf[p + *dlen] != 0) return -1;
    *name = n;
    *data = buf + p;
    *at = p + *dlen + 1;
    return 1;
}

/* Many modules in one host call (the flag: is_bytecode): a call from the host costs tens of
 * microseconds in wasmtime-py, and adding a module one by one took four; a 946-module
 * graph, 0.1-0.2 s. The data are copied (the buffer stays the host's). 0, or -1 when the
 * buffer is malformed, -2 when memory ran out. */
EXPORT("edgebox_add_modules")
int32_t edgebox_add_modules(const uint8_t *buf, size_t len) {
    size_t at = 0;
    const char *name;
    const uint8_t *data;
    uint32_t dlen, flag;
    int r;
    while ((r = next_framed(buf, len, &at, &name, &data, &dlen, &flag)) == 1) {
        uint8_t *copy = malloc((size_t)dlen + 1);
        if (!copy) return -2;
        memcpy(copy, data, (size_t)dlen + 1);
        edgebox_add_module(name, copy, dlen, (int)flag);
    }
    return r;
}

static int compare_modules(const void *a, const void *b) {
    return strcmp(((const BundledModule *)a)->name, ((const BundledModule *)b)->name);
}

/* By name, in O(log n): a bundle may hold thousands of modules, and every import
 * of every module looks one up. Sorted once, at the first lookup after adding. */
static BundledModule *find_module(const char *name) {
    if (!modules_sorted) {
        qsort(modules, nmodules, sizeof(BundledModule), compare_modules);
        modules_sorted = 1;
    }
    BundledModule key = {.name = (char *)name};
    return bsearch(&key, modules, nmodules, sizeof(BundledModule), compare_modules);
}

/* Join `spec` onto the directory of `base` and fold "." and ".." segments:
 * the fallback for specifiers the bundler could not see (computed import()). */
static char *join_path(const char *base, const char *spec) {
    size_t blen = strlen(base), slen = strlen(spec);
    char *buf = malloc(blen + slen + 2);
    const char *slash = strrchr(base, '/');
    size_t dlen = slash ? (size_t)(slash - base) + 1 : 0;
    memcpy(buf, base, dlen);
    memcpy(buf + dlen, spec, slen + 1);
    /* fold segments in place */
    char *out = malloc(strlen(buf) + 1);
    size_t o = 0;
    const char *p = buf;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 1 && p[0] == '.') {
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (o > 0) {
                o--; /* drop trailing slash */
                while (o > 0 && out[o - 1] != '/') o--;
            }
        } else if (n > 0) {
            memcpy(out + o, p, n);
            o += n;
            if (e) out[o++] = '/';
        }
        p += n + (e ? 1 : 0);
    }
    out[o] = 0;
    free(buf);
    return out;
}

/* The engine's internal module, imported by wasm stubs as "edgebox:wasm". Its name
 * inside the engine starts with '/', which no module id can (ids are paths relative
 * to the bundle's root; manifest_shape.py refuses others), so no user file, however
 * it is named or mapped, can be loaded in its place. */
#define INTERNAL_SPECIFIER "edgebox:wasm"
#define INTERNAL_MODULE "/edgebox:wasm"

/* Only a wasm module's generated stub may import the engine's internal module: it
 * binds wasm exports and imports by slot number. Stubs are the modules whose id ends
 * in ".wasm"; the bundler makes every .wasm path a stub, never a JS module, so user
 * JS cannot be named like one, and it refuses user specifiers starting "edgebox:". */
static int may_import_internal(const char *base) {
    size_t n = strlen(base);
    return n >= 5 && strcmp(base + n - 5, ".wasm") == 0;
}

/* An own property of a plain object, never one inherited: user JS can add names to
 * Object.prototype, and the config objects below are parsed JSON, whose prototype it is.
 * (A resolve lookup that walked the prototype chain let `Object.prototype.x =
 * "/edgebox:wasm"; import("x")` load the internal module.) */
static JSValue own_property(JSContext *c, JSValueConst obj, const char *name) {
    if (!JS_IsObject(obj)) return JS_UNDEFINED;
    JSAtom atom = JS_NewAtom(c, name);
    if (atom == JS_ATOM_NULL) return JS_UNDEFINED;
    JSPropertyDescriptor desc;
    int found = JS_GetOwnProperty(c, &desc, obj, atom);
    JS_FreeAtom(c, atom);
    if (found < 0) JS_FreeValue(c, JS_GetException(c));
    if (found <= 0) return JS_UNDEFINED;
    JS_FreeValue(c, desc.getter);
    JS_FreeValue(c, desc.setter);
    return desc.value;
}

/* config[map][base][spec], own properties all the way down (undefined where one is missing) */
static JSValue config_entry(JSContext *c, const char *map, const char *base, const char *spec) {
    JSValue by_map = own_property(c, config, map);
    JSValue by_base = own_property(c, by_map, base);
    JS_FreeValue(c, by_map);
    JSValue entry = own_property(c, by_base, spec);
    JS_FreeValue(c, by_base);
    return entry;
}

/* `wasm:js-string`, the JS String Builtins a wasm module may import (the prelude's
 * jsString), as a module the stubs import them from; named like the internal one. */
#define JS_STRING_SPECIFIER "wasm:js-string"
#define JS_STRING_MODULE "/wasm:js-string"
static const char *const js_string_builtins[] = {"cast", "test", "fromCharCode", "fromCodePoint", "charCodeAt",
                                                 "codePointAt", "length", "concat", "substring", "equals", "compare"};
#define N_JS_STRING_BUILTINS (sizeof(js_string_builtins) / sizeof(js_string_builtins[0]))

static int js_string_module_init(JSContext *c, JSModuleDef *m) {
    JSValue builtins = JS_GetPropertyStr(c, prelude_api, "jsString");
    for (size_t i = 0; i < N_JS_STRING_BUILTINS; i++) {
        if (JS_SetModuleExport(c, m, js_string_builtins[i], JS_GetPropertyStr(c, builtins, js_string_builtins[i]))) {
            JS_FreeValue(c, builtins);
            return -1;
        }
    }
    JS_FreeValue(c, builtins);
    return 0;
}

/* The Node built-in modules EdgeBox has (web/fs.js builds their exports): named with or
 * without "node:", as Node takes them, each one module whatever the name. A program's import
 * map still wins (its entries are in config.resolve, looked up first). Named like the
 * internal module: '/' then the "node:" name, which no module id can be. */
static const char *const node_builtins[][2] = {
    {"node:fs", "/node:fs"}, {"fs", "/node:fs"},
    {"node:fs/promises", "/node:fs/promises"}, {"fs/promises", "/node:fs/promises"},
    {"node:process", "/node:process"}, {"process", "/node:process"},
};
#define N_NODE_BUILTINS (sizeof(node_builtins) / sizeof(node_builtins[0]))

/* The exports object web/fs.js made for a builtin's name ("/node:fs" → nodeModules["fs"]). */
static JSValue node_builtin_exports(JSContext *c, const char *name) {
    JSValue all = JS_GetPropertyStr(c, web_native, "nodeModules");
    JSValue exports = own_property(c, all, name + strlen("/node:"));
    JS_FreeValue(c, all);
    return exports;
}

static int node_builtin_init(JSContext *c, JSModuleDef *m) {
    JSAtom atom = JS_GetModuleName(c, m);
    const char *name = JS_AtomToCString(c, atom);
    JS_FreeAtom(c, atom);
    if (!name) return -1;
    JSValue exports = node_builtin_exports(c, name);
    JS_FreeCString(c, name);
    JSPropertyEnum *props;
    uint32_t n;
    int failed = JS_GetOwnPropertyNames(c, &props, &n, exports, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) < 0;
    if (!failed) {
        for (uint32_t i = 0; !failed && i < n; i++) {
            const char *key = JS_AtomToCString(c, props[i].atom);
            failed = !key || JS_SetModuleExport(c, m, key, JS_GetProperty(c, exports, props[i].atom)) < 0;
            JS_FreeCString(c, key);
        }
        JS_FreePropertyEnum(c, props, n);
    }
    if (!failed) failed = JS_SetModuleExport(c, m, "default", JS_DupValue(c, exports)) < 0;
    JS_FreeValue(c, exports);
    return failed ? -1 : 0;
}

static JSModuleDef *node_builtin_module(JSContext *c, const char *name) {
    JSValue exports = node_builtin_exports(c, name);
    JSPropertyEnum *props;
    uint32_t n;
    if (!JS_IsObject(exports) || JS_GetOwnPropertyNames(c, &props, &n, exports, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) < 0) {
        JS_FreeValue(c, exports);
        JS_ThrowReferenceError(c, "Cannot find module '%s'", name + 1);
        return NULL;
    }
    JSModuleDef *m = JS_NewCModule(c, name, node_builtin_init);
    for (uint32_t i = 0; m && i < n; i++) {
        const char *key = JS_AtomToCString(c, props[i].atom);
        if (key) JS_AddModuleExport(c, m, key);
        JS_FreeCString(c, key);
    }
    if (m) JS_AddModuleExport(c, m, "default");
    JS_FreePropertyEnum(c, props, n);
    JS_FreeValue(c, exports);
    return m;
}

static char *normalize_module(JSContext *c, const char *base, const char *spec, void *opaque) {
    if (strcmp(spec, INTERNAL_SPECIFIER) == 0 && may_import_internal(base)) return js_strdup(c, INTERNAL_MODULE);
    if (strcmp(spec, JS_STRING_SPECIFIER) == 0 && may_import_internal(base)) return js_strdup(c, JS_STRING_MODULE);
    JSValue target = config_entry(c, "resolve", base, spec);
    if (JS_IsString(target)) {
        const char *t = JS_ToCString(c, target);
        JS_FreeValue(c, target);
        if (!t) return NULL;
        /* module ids are relative paths (manifest_shape.py); the engine's own start with '/' */
        char *r = t[0] == '/' ? NULL : js_strdup(c, t);
        JS_FreeCString(c, t);
        if (r) return r;
    } else {
        JS_FreeValue(c, target);
    }
    for (size_t i = 0; i < N_NODE_BUILTINS; i++)
        if (strcmp(spec, node_builtins[i][0]) == 0) return js_strdup(c, node_builtins[i][1]);
    if (spec[0] == '.') {
        char *joined = join_path(base, spec);
        if (find_module(joined)) {
            char *r = js_strdup(c, joined);
            free(joined);
            return r;
        }
        free(joined);
    }
    /* An import() the bundler left out (a Node built-in, a package not installed): it
     * rejects with the reason the bundler found, a TypeError as a browser's failed
     * resolution is. */
    JSValue why = config_entry(c, "unbundled", base, spec);
    if (JS_IsString(why)) {
        const char *w = JS_ToCString(c, why);
        JS_FreeValue(c, why);
        if (w) {
            /* a wasm module the ESM-integration proposal refuses to link: a LinkError */
            if (strncmp(w, "LinkError: ", 11) == 0) {
                JSValue args[2] = {JS_NewString(c, "LinkError"), JS_NewString(c, w + 11)};
                JSValue err;
                if (call_prelude_value("makeError", 2, args, &err) == 0) JS_Throw(c, err);
                JS_FreeValue(c, args[0]);
                JS_FreeValue(c, args[1]);
            } else {
                JS_ThrowTypeError(c, "%s", w);
            }
            JS_FreeCString(c, w);
        }
        return NULL;
    }
    JS_FreeValue(c, why);
    JS_ThrowReferenceError(c, "Cannot find module '%s' imported from %s: it is not in the bundle",
                           spec, base);
    return NULL;
}

/* import.meta.url: `file:///` and the module's id, percent-encoded where a URL path needs it.
 * The bundle is its own file system: `new URL("./x.wasm", import.meta.url)` names the
 * bundle's asset beside the module, which fetch() reads (web/fetch.js). */
/* `file:///` and a module id, percent-encoded where a URL path needs it */
static JSValue module_url(JSContext *c, const char *name) {
    size_t n = strlen(name);
    char *url = malloc(8 + 3 * n + 1);
    if (!url) return JS_ThrowOutOfMemory(c);
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 8;
    memcpy(url, "file:///", 8);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            strchr("/-._~!$&'()*+,;=:@", ch)) {
            url[o++] = (char)ch;
        } else {
            url[o++] = '%';
            url[o++] = hex[ch >> 4];
            url[o++] = hex[ch & 15];
        }
    }
    url[o] = 0;
    JSValue v = JS_NewString(c, url);
    free(url);
    return v;
}

static char *normalize_module(JSContext *c, const char *base, const char *spec, void *opaque);

/* import.meta.resolve(specifier): the URL the module's import of it loads, as the bundle
 * resolved it (data[0]: the module's id); a TypeError when it names nothing in the bundle. */
static JSValue js_import_meta_resolve(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv, int magic,
                                      JSValue *data) {
    const char *base = JS_ToCString(c, data[0]);
    const char *spec = JS_ToCString(c, argc > 0 ? argv[0] : JS_UNDEFINED);
    JSValue out = JS_EXCEPTION;
    if (base && spec) {
        char *target = normalize_module(c, base, spec, NULL);
        if (target) {
            out = target[0] == '/' ? JS_NewString(c, spec) : module_url(c, target); /* edgebox:, wasm:js-string */
            js_free(c, target);
        } else if (spec[0] == '.') {
            /* a relative path resolves whether or not a file is there, as in Node */
            JS_FreeValue(c, JS_GetException(c));
            char *joined = join_path(base, spec);
            out = joined ? module_url(c, joined) : JS_ThrowOutOfMemory(c);
            free(joined);
        }
    }
    JS_FreeCString(c, base);
    JS_FreeCString(c, spec);
    return out;
}

/* import.meta: url (`file:///` and the module's id: the bundle is its own file system, and
 * `new URL("./x.wasm", import.meta.url)` names the asset beside the module, which fetch()
 * reads, web/fetch.js), filename and dirname (the same as paths), and resolve(). */
static void set_import_meta(JSContext *c, JSModuleDef *m, const char *name) {
    JSValue meta = JS_GetImportMeta(c, m);
    if (JS_IsException(meta)) {
        JS_FreeValue(c, JS_GetException(c));
        return;
    }
    JS_SetPropertyStr(c, meta, "url", module_url(c, name));
    size_t n = strlen(name);
    char *path = malloc(n + 2);
    if (path) {
        path[0] = '/';
        memcpy(path + 1, name, n + 1);
        JS_SetPropertyStr(c, meta, "filename", JS_NewString(c, path));
        char *slash = strrchr(path, '/');
        JS_SetPropertyStr(c, meta, "dirname", JS_NewStringLen(c, path, slash == path ? 1 : (size_t)(slash - path)));
        free(path);
    }
    JSValue id = JS_NewString(c, name);
    JS_SetPropertyStr(c, meta, "resolve", JS_NewCFunctionData(c, js_import_meta_resolve, 1, 0, 1, &id));
    JS_FreeValue(c, id);
    JS_FreeValue(c, meta);
}

static JSModuleDef *load_module(JSContext *c, const char *name, void *opaque) {
    if (strcmp(name, INTERNAL_MODULE) == 0) {
        JSModuleDef *m = JS_NewCModule(c, name, wasm_module_init);
        if (m) {
            JS_AddModuleExport(c, m, "func");
            JS_AddModuleExport(c, m, "bindImport");
            JS_AddModuleExport(c, m, "live");
            JS_AddModuleExport(c, m, "copy");
            JS_AddModuleExport(c, m, "buffer");
            JS_AddModuleExport(c, m, "memory");
            JS_AddModuleExport(c, m, "moduleSource");
            JS_AddModuleExport(c, m, "table");
            JS_AddModuleExport(c, m, "uninitialized");
            JS_AddModuleExport(c, m, "instantiate");
        }
        return m;
    }
    if (strcmp(name, JS_STRING_MODULE) == 0) {
        JSModuleDef *m = JS_NewCModule(c, name, js_string_module_init);
        for (size_t i = 0; m && i < N_JS_STRING_BUILTINS; i++) JS_AddModuleExport(c, m, js_string_builtins[i]);
        return m;
    }
    if (strncmp(name, "/node:", 6) == 0) return node_builtin_module(c, name);
    BundledModule *bm = find_module(name);
    if (!bm) {
        JS_ThrowReferenceError(c, "Cannot find module '%s': it is not in the bundle", name);
        return NULL;
    }
    JSValue fn;
    if (bm->is_bytecode)
        fn = JS_ReadObject(c, bm->data, bm->len, JS_READ_OBJ_BYTECODE);
    else
        fn = JS_Eval(c, (const char *)bm->data, bm->len, name,
                     JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(fn)) return NULL;
    JSModuleDef *m = JS_VALUE_GET_PTR(fn);
    JS_FreeValue(c, fn);
    bm->def = m;
    set_import_meta(c, m, name);
    return m;
}

/* native.moduleNameOf(namespace): the bundle's name of the module whose namespace object
 * this is (a wasm module's id for its stub), or undefined. */
static JSValue js_module_name_of(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    if (argc < 1 || !JS_IsObject(argv[0])) return JS_UNDEFINED;
    for (int i = 0; i < nmodules; i++) {
        if (!modules[i].def) continue;
        JSValue ns = JS_GetModuleNamespace(c, modules[i].def);
        if (JS_IsException(ns)) {
            JS_FreeValue(c, JS_GetException(c));
            continue;
        }
        int same = JS_VALUE_GET_PTR(ns) == JS_VALUE_GET_PTR(argv[0]);
        JS_FreeValue(c, ns);
        if (same) return JS_NewString(c, modules[i].name);
    }
    return JS_UNDEFINED;
}

/* ---- natives used by the prelude ------------------------------------------ */

static JSValue js_print(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int32_t fd;
    size_t len;
    if (JS_ToInt32(c, &fd, argv[0])) return JS_EXCEPTION;
    const char *s = JS_ToCStringLen(c, &len, argv[1]);
    if (!s) return JS_EXCEPTION;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd == 2 ? 2 : 1, s + off, len - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    JS_FreeCString(c, s);
    return JS_UNDEFINED;
}

static double now_ms(void);

static JSValue js_hrtime_ms(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    return JS_NewFloat64(c, now_ms());
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* With --time-limit, a timer never sleeps past the deadline: the host's epoch
 * interruption stops the run at the next wasm check after it. */
static double deadline_ms;

static JSValue js_sleep_ms(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    double ms;
    if (JS_ToFloat64(c, &ms, argv[0])) return JS_EXCEPTION;
    int past_deadline = deadline_ms > 0 && now_ms() + ms > deadline_ms;
    if (past_deadline) ms = deadline_ms - now_ms() + 1;
    if (ms > 0) {
        struct timespec ts = {(time_t)(ms / 1e3), (long)((ms - (double)(time_t)(ms / 1e3) * 1e3) * 1e6)};
        nanosleep(&ts, NULL);
    }
    if (past_deadline) {
        /* The time limit is up: run nothing more, wait here (a wasm loop, so the
         * host's epoch interruption can stop it) until the host ends the run. */
        static volatile int spin;
        for (;;) spin++;
    }
    return JS_UNDEFINED;
}

/* native.hostRequest(json, bytes?): the host's answer (a JSON string). The bytes, a typed
 * array or an ArrayBuffer, are copied into the request as they are now. */
static JSValue js_host_request(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t json_len, nbytes = 0;
    const char *json = JS_ToCStringLen(c, &json_len, argc > 0 ? argv[0] : JS_UNDEFINED);
    if (!json) return JS_EXCEPTION;
    const uint8_t *bytes = NULL;
    if (argc > 1 && !JS_IsUndefined(argv[1])) {
        size_t offset, length;
        JSValue ab = JS_GetTypedArrayBuffer(c, argv[1], &offset, &length, NULL);
        if (JS_IsException(ab)) {
            JS_FreeValue(c, JS_GetException(c));
            bytes = JS_GetArrayBuffer(c, &nbytes, argv[1]);
        } else {
            size_t size;
            uint8_t *data = JS_GetArrayBuffer(c, &size, ab);
            JS_FreeValue(c, ab);
            if (data && offset <= size && length <= size - offset) {
                bytes = data + offset;
                nbytes = length;
            }
        }
        if (!bytes) {
            JS_FreeCString(c, json);
            JS_FreeValue(c, JS_GetException(c));
            return JS_ThrowTypeError(c, "the bytes must be an ArrayBuffer or an ArrayBufferView");
        }
    }
    size_t len = json_len + 1 + nbytes;
    uint8_t *req = malloc(len ? len : 1);
    if (!req) {
        JS_FreeCString(c, json);
        return JS_ThrowOutOfMemory(c);
    }
    memcpy(req, json, json_len);
    req[json_len] = 0;
    if (nbytes) memcpy(req + json_len + 1, bytes, nbytes);
    JS_FreeCString(c, json);
    int32_t cap = 4096;
    char *out = malloc(cap);
    int32_t n = out ? host_request(req, (int32_t)len, out, cap) : -1;
    if (n > cap) {
        free(out);
        cap = n;
        out = malloc(cap);
        n = out ? host_request(req, (int32_t)len, out, cap) : -1;
    }
    free(req);
    CHECK_MEMORY_GROWTH(c); /* a start function may have grown a memory */
    JSValue answer = n < 0 || n > cap ? JS_ThrowInternalError(c, "the host did not answer") : JS_NewStringLen(c, out, n);
    free(out);
    return answer;
}

/* native.setWindow(size_slot, window, reason): a run-time instance's memory, as the host
 * gives it to edgebox_set_window for a bundled one. */
static JSValue js_set_window(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int32_t slot, reason;
    uint32_t window;
    if (argc < 3 || JS_ToInt32(c, &slot, argv[0]) || JS_ToUint32(c, &window, argv[1]) ||
        JS_ToInt32(c, &reason, argv[2]))
        return JS_EXCEPTION;
    if (!find_view(slot)) edgebox_set_window(slot, window, reason);
    return JS_UNDEFINED;
}

/* native.refOf(value): the number wasm holds for a JS value as an externref (-1: null) */
static JSValue js_ref_of(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int32_t h;
    if (ref_of(c, argc > 0 ? argv[0] : JS_UNDEFINED, &h)) return JS_EXCEPTION;
    return JS_NewInt32(c, h);
}

/* native.namespaceOf(id): the namespace of a module of the bundle that has been loaded */
static JSValue js_namespace_of(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    const char *id = JS_ToCString(c, argc > 0 ? argv[0] : JS_UNDEFINED);
    if (!id) return JS_EXCEPTION;
    BundledModule *bm = find_module(id);
    JS_FreeCString(c, id);
    if (!bm || !bm->def) return JS_ThrowTypeError(c, "no loaded module of that name");
    return JS_GetModuleNamespace(c, bm->def);
}

/* native.exit(code): end the program now, as process.exit does: what it printed is flushed,
 * then WASI proc_exit, which the host takes as the run's exit status. */
static JSValue js_exit(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int32_t code = 0;
    if (argc > 0 && JS_ToInt32(c, &code, argv[0])) return JS_EXCEPTION;
    fflush(stdout);
    fflush(stderr);
    exit(code & 0xff);
}

extern char **environ;

/* native.environment(): the environment the host gave (WASI: empty unless --allow-env) */
static JSValue js_environment(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    JSValue out = JS_NewObject(c);
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        char *name = strndup(*e, (size_t)(eq - *e));
        if (name) JS_SetPropertyStr(c, out, name, JS_NewString(c, eq + 1));
        free(name);
    }
    return out;
}

static const JSCFunctionListEntry native_funcs[] = {
    JS_CFUNC_DEF("exit", 1, js_exit),
    JS_CFUNC_DEF("environment", 0, js_environment),
    JS_CFUNC_DEF("refOf", 1, js_ref_of),
    JS_CFUNC_DEF("namespaceOf", 1, js_namespace_of),
    JS_CFUNC_DEF("moduleNameOf", 1, js_module_name_of),
    JS_CFUNC_DEF("hostRequest", 2, js_host_request),
    JS_CFUNC_DEF("setWindow", 3, js_set_window),
    JS_CFUNC_DEF("wasmFunc", 4, js_make_wasm_func),
    JS_CFUNC_DEF("bindImport", 5, js_bind_import),
    JS_CFUNC_DEF("memoryCopy", 2, js_make_memory_copy),
    JS_CFUNC_DEF("memoryBuffer", 1, js_make_memory_buffer),
    JS_CFUNC_DEF("print", 2, js_print),
    JS_CFUNC_DEF("hrtimeMs", 0, js_hrtime_ms),
    JS_CFUNC_DEF("sleepMs", 1, js_sleep_ms),
};

/* ---- promise bookkeeping ---------------------------------------------------- */

/* Rejected promises with no handler yet, in the order they were rejected; one that
 * gets a handler later leaves the list. Grows as needed: however many are handled
 * late, the first one never handled is still reported. */
static JSValue *unhandled;
static JSValue *unhandled_reason;
static int nunhandled, unhandled_cap;

static void track_rejection(JSContext *c, JSValueConst promise, JSValueConst reason,
                            bool is_handled, void *opaque) {
    if (!is_handled) {
        if (nunhandled == unhandled_cap) {
            int cap = unhandled_cap ? unhandled_cap * 2 : 16;
            JSValue *p = realloc(unhandled, sizeof(JSValue) * cap);
            JSValue *r = p ? realloc(unhandled_reason, sizeof(JSValue) * cap) : NULL;
            if (p) unhandled = p;
            if (!p || !r) return; /* out of memory: the heap limit will be reported */
            unhandled_reason = r;
            unhandled_cap = cap;
        }
        unhandled[nunhandled] = JS_DupValue(c, promise);
        unhandled_reason[nunhandled] = JS_DupValue(c, reason);
        nunhandled++;
        return;
    }
    for (int i = 0; i < nunhandled; i++) {
        if (JS_VALUE_GET_PTR(unhandled[i]) == JS_VALUE_GET_PTR(promise)) {
            JS_FreeValue(c, unhandled[i]);
            JS_FreeValue(c, unhandled_reason[i]);
            memmove(unhandled + i, unhandled + i + 1, sizeof(JSValue) * (nunhandled - i - 1));
            memmove(unhandled_reason + i, unhandled_reason + i + 1, sizeof(JSValue) * (nunhandled - i - 1));
            nunhandled--;
            return;
        }
    }
}

/* ---- limit errors ------------------------------------------------------------ */

/* The errors QuickJS itself threw for the heap limit and the stack limit, kept so
 * that an uncaught error can be told apart from one the program threw with the same
 * message. build.py patches QuickJS's JS_ThrowOutOfMemory and JS_ThrowStackOverflow
 * to call this right after they throw. */
#define LIMIT_HEAP 1
#define LIMIT_STACK 2
static JSValue heap_limit_error, stack_limit_error; /* zero: no object yet */
static int heap_limit_hit; /* QuickJS could not even allocate the error object */
static int heap_limit_seen; /* the heap limit was reached at some point of the run */
static int report_failed; /* reporting an uncaught error failed itself (out of memory, say) */

void edgebox_limit_error(JSContext *c, int kind) {
    JSValue e = JS_GetException(c);
    JSValue *slot = kind == LIMIT_HEAP ? &heap_limit_error : &stack_limit_error;
    if (kind == LIMIT_HEAP && !JS_IsObject(e)) heap_limit_hit = 1;
    if (kind == LIMIT_HEAP) heap_limit_seen = 1;
    JS_FreeValue(c, *slot);
    *slot = JS_DupValue(c, e);
    JS_Throw(c, e);
}

/* Whether the heap limit was reached during the run: the host names it after an error
 * the program made of it (sandbox.py). */
EXPORT("edgebox_heap_limit_seen") int32_t edgebox_heap_limit_seen(void) { return heap_limit_seen; }

static int is_limit_error(JSValueConst err, JSValueConst limit) {
    return JS_IsObject(err) && JS_IsObject(limit) && JS_VALUE_GET_PTR(err) == JS_VALUE_GET_PTR(limit);
}

/* ---- set-up ----------------------------------------------------------------- */

static int call_prelude(const char *fn_name, int argc, JSValueConst *argv, JSValue *out) {
    JSValue fn = JS_GetPropertyStr(ctx, prelude_api, fn_name);
    JSValue r = JS_Call(ctx, fn, JS_UNDEFINED, argc, argv);
    JS_FreeValue(ctx, fn);
    if (JS_IsException(r)) return -1;
    if (out) *out = r;
    else JS_FreeValue(ctx, r);
    return 0;
}

static int call_prelude_value(const char *fn_name, int argc, JSValueConst *argv, JSValue *out) {
    return call_prelude(fn_name, argc, argv, out);
}

/* The exit code for an uncaught error: a resource limit has its own (limits.py),
 * decided by which error QuickJS threw, never by the message text. */
#define EXIT_HEAP_LIMIT 3
#define EXIT_STACK_LIMIT 6
static int exit_code_for(JSValueConst err) {
    if (is_limit_error(err, heap_limit_error) || (!JS_IsObject(err) && heap_limit_hit)) return EXIT_HEAP_LIMIT;
    /* glue (wasm-bindgen's) turned the heap error into another, and there was no memory left
     * to report that one: the heap limit is what ended the run */
    if (report_failed && heap_limit_seen) return EXIT_HEAP_LIMIT;
    if (is_limit_error(err, stack_limit_error)) return EXIT_STACK_LIMIT;
    return 1;
}

/* Print an uncaught error (message and stack) through the prelude's formatter. */
static void report_uncaught(JSValueConst err, int in_promise) {
    /* the heap limit with not even an error object: the host says so (exit code 3) */
    if (!JS_IsObject(err) && heap_limit_hit) return;
    JSValue args[2] = {err, JS_NewBool(ctx, in_promise)};
    if (call_prelude("reportUncaught", 2, args, NULL) < 0) {
        report_failed = 1;
        JSValue e = JS_GetException(ctx);
        if (!heap_limit_seen) {
            const char *s = JS_ToCString(ctx, e);
            fprintf(stderr, "Uncaught exception (while reporting another): %s\n", s ? s : "?");
            JS_FreeCString(ctx, s);
        }
        JS_FreeValue(ctx, e);
    }
}

/* ---- source maps ------------------------------------------------------------ */

/* Set when the bundle has a source map for some module (bundler/sourcemap.py). QuickJS's
 * Error.prototype.stack getter (build.py's patch) then hands a stack its own formatter
 * wrote, the first time it is read, to edgebox_map_stack; without maps the getter stops at
 * this flag, so such a bundle pays nothing. */
int edgebox_source_maps;

/* `text` with each frame of a mapped module named by its original place (prelude.js
 * mapStack); `text` itself if that fails: reading a stack never throws for the mapping. */
JSValue edgebox_map_stack(JSContext *c, JSValueConst text) {
    JSValue out;
    JSValue args[1] = {JS_DupValue(c, text)};
    int failed = call_prelude("mapStack", 1, args, &out) < 0;
    JS_FreeValue(c, args[0]);
    if (failed) {
        JS_FreeValue(c, JS_GetException(c));
        return JS_DupValue(c, text);
    }
    if (!JS_IsString(out)) {
        JS_FreeValue(c, out);
        return JS_DupValue(c, text);
    }
    return out;
}

/* Columns (build.py's patch to QuickJS's tokenizer): 1-based, in UTF-16 code units from the
 * line's start, as V8 and source maps count them, where QuickJS counts UTF-8 bytes. Called
 * for every token: the count goes on from the last call on the same line, and every
 * COL_STEP bytes of a line is remembered, so that when the parser goes back (it looks
 * ahead, then re-reads) a long minified line costs linear time, not quadratic. */
#define COL_STEP 4096
static const uint8_t *col_line, *col_at;
static int col_units;
static int *col_marks; /* col_marks[i]: the units in the line's first (i + 1) * COL_STEP bytes */
static size_t col_nmarks, col_cap;

void edgebox_column_reset(void) {
    col_line = col_at = NULL;
    col_nmarks = 0;
}

int edgebox_column(const uint8_t *line_start, const uint8_t *p) {
    if (line_start != col_line || !col_at) {
        col_line = col_at = line_start;
        col_units = 0;
        col_nmarks = 0;
    }
    if (p < col_at) {
        size_t k = (size_t)(p - line_start) / COL_STEP;
        if (k > col_nmarks) k = col_nmarks;
        col_at = line_start + k * COL_STEP;
        col_units = k ? col_marks[k - 1] : 0;
    }
    const uint8_t *q = col_at;
    while (q < p) {
        const uint8_t *next_mark = line_start + (col_nmarks + 1) * COL_STEP;
        const uint8_t *stop = next_mark > q && next_mark < p ? next_mark : p;
        /* a UTF-8 sequence is one unit, two for a code point past U+FFFF (4 bytes) */
        for (; q < stop; q++) col_units += ((*q & 0xC0) != 0x80) + (*q >= 0xF0);
        if (q == next_mark) {
            if (col_nmarks == col_cap) { /* no room to remember: a step back counts from further back */
                size_t cap = col_cap ? col_cap * 2 : 64;
                int *grown = realloc(col_marks, cap * sizeof(int));
                if (!grown) continue;
                col_marks = grown;
                col_cap = cap;
            }
            col_marks[col_nmarks++] = col_units;
        }
    }
    col_at = p;
    return col_units + 1;
}

/* ---- web APIs, evaluated when first used ------------------------------------ */

#define N_WEB_SCRIPTS (sizeof(EDGEBOX_WEB_SCRIPTS) / sizeof(EDGEBOX_WEB_SCRIPTS[0]))
static int web_loaded[N_WEB_SCRIPTS > 0 ? N_WEB_SCRIPTS : 1];

/* Run one of the engine's own scripts. The engine build compiles them to bytecode with a
 * first link of this engine, and embeds that (build.py): reading bytecode skips parsing
 * ~100 KB of JS on every start. That first link runs them from source. */
static JSValue eval_builtin_script(JSContext *c, const struct edgebox_builtin_script *script) {
    if (!script->bytecode_len) return JS_Eval(c, script->source, strlen(script->source), script->name, JS_EVAL_TYPE_GLOBAL);
    JSValue fn = JS_ReadObject(c, script->bytecode, script->bytecode_len, JS_READ_OBJ_BYTECODE);
    return JS_IsException(fn) ? fn : JS_EvalFunction(c, fn);
}

/* Evaluate web script i (once): a function expression, called with the natives and the
 * prelude's lazyDefine, which replaces only the accessors installed below (a global the
 * program has set itself stays). */
static int load_web_script(JSContext *c, int i) {
    if (web_loaded[i]) return 0;
    web_loaded[i] = 1;
    JSValue fn = eval_builtin_script(c, &EDGEBOX_WEB_SCRIPTS[i]);
    JSValue define = JS_GetPropertyStr(c, prelude_api, "lazyDefine");
    JSValue args[2] = {web_native, define};
    JSValue r = JS_IsException(fn) ? JS_EXCEPTION : JS_Call(c, fn, JS_UNDEFINED, 2, args);
    JS_FreeValue(c, fn);
    JS_FreeValue(c, define);
    if (JS_IsException(r)) return -1;
    JS_FreeValue(c, r);
    return 0;
}

/* The getter of a web API's global: evaluate its script, then read the global it defined. */
static JSValue lazy_web_global(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv, int magic,
                               JSValue *data) {
    if (load_web_script(c, magic) < 0) return JS_EXCEPTION;
    JSValue global = JS_GetGlobalObject(c);
    JSAtom atom = JS_ValueToAtom(c, data[0]);
    JSPropertyDescriptor desc;
    int own = JS_GetOwnProperty(c, &desc, global, atom);
    JSValue v = JS_UNDEFINED;
    if (own > 0) {
        if (JS_IsUndefined(desc.getter)) v = JS_DupValue(c, desc.value);
        JS_FreeValue(c, desc.value);
        JS_FreeValue(c, desc.getter);
        JS_FreeValue(c, desc.setter);
    }
    JS_FreeAtom(c, atom);
    JS_FreeValue(c, global);
    return own < 0 ? JS_EXCEPTION : v;
}

/* Its setter: the program's own value, as for any writable global (the script is not run). */
static JSValue lazy_web_global_set(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv, int magic,
                                   JSValue *data) {
    JSValue global = JS_GetGlobalObject(c);
    JSAtom atom = JS_ValueToAtom(c, data[0]);
    int r = JS_DefinePropertyValue(c, global, atom, JS_DupValue(c, argc > 0 ? argv[0] : JS_UNDEFINED),
                                   JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    JS_FreeAtom(c, atom);
    JS_FreeValue(c, global);
    return r < 0 ? JS_EXCEPTION : JS_UNDEFINED;
}

static int install_lazy_globals(JSContext *c, int i) {
    const char *names = EDGEBOX_WEB_SCRIPTS[i].globals;
    if (!*names) return load_web_script(c, i); /* it defines nothing by name: run it now */
    JSValue global = JS_GetGlobalObject(c);
    int failed = 0;
    for (const char *p = names; *p && !failed;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        JSValue name = JS_NewStringLen(c, p, n);
        JSAtom atom = JS_ValueToAtom(c, name);
        JSValue getter = JS_NewCFunctionData(c, lazy_web_global, 0, i, 1, &name);
        JSValue setter = JS_NewCFunctionData(c, lazy_web_global_set, 1, i, 1, &name);
        failed = JS_DefinePropertyGetSet(c, global, atom, getter, setter, JS_PROP_CONFIGURABLE) < 0;
        JS_FreeAtom(c, atom);
        JS_FreeValue(c, name);
        p = end ? end + 1 : p + n;
    }
    JS_FreeValue(c, global);
    return failed ? -1 : 0;
}

/* Initialise the runtime. `config_json` holds the resolution map and the arguments;
 * `max_stack` and `heap_limit` are 0 for the defaults. Returns 0, or 1 with the
 * error text in the result buffer. */
/* QuickJS counts the C (shadow) stack; its limit must fire before the wasm native stack
 * (wasmtime's max_wasm_stack) runs out, so that deep JS recursion is a catchable RangeError,
 * not a trap. The host picks it (sandbox.py); 0 is the engine's own. */
static size_t js_stack_limit(size_t js_stack) {
    return js_stack && js_stack < EDGEBOX_STACK_SIZE ? js_stack : EDGEBOX_STACK_SIZE - 128 * 1024;
}

/* --time-limit: when the run must stop, from a configuration's time_limit_ms (0: never) */
static double deadline_of(JSValueConst run_config) {
    double time_limit_ms = 0;
    JSValue tl = JS_GetPropertyStr(ctx, run_config, "time_limit_ms");
    if (JS_IsNumber(tl)) JS_ToFloat64(ctx, &time_limit_ms, tl);
    JS_FreeValue(ctx, tl);
    return time_limit_ms > 0 ? now_ms() + time_limit_ms : 0;
}

EXPORT("edgebox_init")
int32_t edgebox_init(const char *config_json, size_t config_len, size_t heap_limit, size_t js_stack) {
    rt = JS_NewRuntime();
    if (heap_limit) JS_SetMemoryLimit(rt, heap_limit);
    JS_SetMaxStackSize(rt, js_stack_limit(js_stack));
    JS_SetModuleLoaderFunc(rt, normalize_module, load_module, NULL);
    JS_SetHostPromiseRejectionTracker(rt, track_rejection, NULL);
    ctx = JS_NewContext(rt);
    config = JS_ParseJSON(ctx, config_json, config_len, "<edgebox config>");
    if (JS_IsException(config)) {
        const char *msg = "bad engine configuration JSON";
        set_result(msg, strlen(msg));
        return 1;
    }
    deadline_ms = deadline_of(config);
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue native = JS_NewObject(ctx);
    JS_SetPropertyFunctionList(ctx, native, native_funcs, sizeof(native_funcs) / sizeof(native_funcs[0]));
    edgebox_web_encoding(ctx, native);
    edgebox_web_crypto(ctx, native);
    edgebox_web_compression(ctx, native);
    edgebox_web_fs(ctx, native);
    init_refs(ctx); /* before any user code: the Map it uses is the built-in one */
    JS_SetPropertyStr(ctx, native, "args", JS_GetPropertyStr(ctx, config, "args"));
    JS_SetPropertyStr(ctx, native, "envAllowed", JS_GetPropertyStr(ctx, config, "env"));
    JSValue maps = JS_GetPropertyStr(ctx, config, "source_maps"); /* absent without maps */
    edgebox_source_maps = JS_IsArray(maps);
    JS_SetPropertyStr(ctx, native, "sourceMaps", maps);
    JS_SetPropertyStr(ctx, global, "__edgebox_native", JS_DupValue(ctx, native));
    JS_FreeValue(ctx, global);
    prelude_api = eval_builtin_script(ctx, &EDGEBOX_PRELUDE);
    int failed = JS_IsException(prelude_api);
    /* each web API: its globals are accessors that evaluate its script the first time one is
     * read (lazy_web_global), so a program pays at start-up only for what it uses */
    web_native = native;
    for (size_t i = 0; !failed && i < N_WEB_SCRIPTS; i++) failed = install_lazy_globals(ctx, (int)i) < 0;
    if (failed) {
        JSValue e = JS_GetException(ctx);
        const char *s = JS_ToCString(ctx, e);
        set_result(s ? s : "prelude failed", s ? strlen(s) : 14);
        JS_FreeCString(ctx, s);
        return 1;
    }
    return 0;
}

/* The result buffer holds error `e`'s message and stack ("message\nstack"; `fallback` when it
 * has no message); frees `e`. */
static void set_error_result(JSValue e, const char *fallback) {
    JSValue stack = JS_GetPropertyStr(ctx, e, "stack");
    const char *m = JS_ToCString(ctx, e);
    const char *s = JS_IsString(stack) ? JS_ToCString(ctx, stack) : NULL;
    char buf[2048];
    snprintf(buf, sizeof buf, "%s\n%s", m ? m : fallback, s ? s : "");
    set_result(buf, strlen(buf));
    if (m) JS_FreeCString(ctx, m);
    if (s) JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, stack);
    JS_FreeValue(ctx, e);
}

/* Compile JS to bytecode: a module (`eval_type` JS_EVAL_TYPE_MODULE) or a script. Returns 0
 * with the bytecode in the result buffer, or 1 with the error (message and stack) there. */
static int32_t compile_to_result(const char *name, const char *src, size_t len, int eval_type, int write_flags) {
    JSValue fn = JS_Eval(ctx, src, len, name, eval_type | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(fn)) {
        set_error_result(JS_GetException(ctx), "SyntaxError");
        return 1;
    }
    size_t size;
    uint8_t *bc = JS_WriteObject(ctx, &size, fn, JS_WRITE_OBJ_BYTECODE | write_flags);
    JS_FreeValue(ctx, fn);
    if (!bc) return 1;
    set_result(bc, size);
    js_free(ctx, bc);
    return 0;
}

/* One JS module, at bundle time. */
EXPORT("edgebox_compile")
int32_t edgebox_compile(const char *name, const char *src, size_t len) {
    return compile_to_result(name, src, len, JS_EVAL_TYPE_MODULE, 0);
}

/* One of the engine's own scripts, when the engine is built (build.py, _builtin_bytecode).
 * Each function's source text is left out, as for any built-in: its toString() says
 * "[native code]", and the engine is not 2.5x larger. Line numbers stay, for stacks. */
EXPORT("edgebox_compile_script")
int32_t edgebox_compile_script(const char *name, const char *src, size_t len) {
    return compile_to_result(name, src, len, JS_EVAL_TYPE_GLOBAL, JS_WRITE_OBJ_STRIP_SOURCE);
}

/* edgebox_compile for each module the buffer frames (as edgebox_add_modules's; the flag
 * unused), in order, in one host call. The result: for each module compiled, a u32 status
 * (0: its bytecode follows, 1: the error text) and a u32 length, then the bytes; it ends
 * after the first failure. -1: a malformed buffer; -2: memory ran out. */
EXPORT("edgebox_compile_many")
int32_t edgebox_compile_many(const uint8_t *buf, size_t len) {
    size_t at = 0, used = 0, cap = 0;
    uint8_t *out = NULL;
    const char *name;
    const uint8_t *src;
    uint32_t slen, flag;
    int r;
    while ((r = next_framed(buf, len, &at, &name, &src, &slen, &flag)) == 1) {
        uint32_t failed = (uint32_t)edgebox_compile(name, (const char *)src, slen);
        uint32_t n = (uint32_t)result_len;
        if (used + 8 + n > cap) {
            size_t want = cap ? cap * 2 : 1 << 20;
            while (want < used + 8 + n) want *= 2;
            uint8_t *grown = realloc(out, want);
            if (!grown) {
                free(out);
                return -2;
            }
            out = grown;
            cap = want;
        }
        memcpy(out + used, &failed, 4);
        memcpy(out + used + 4, &n, 4);
        memcpy(out + used + 8, result_ptr, n);
        used += 8 + n;
        if (failed) break;
    }
    if (r < 0) {
        free(out);
        return r;
    }
    set_result(out ? out : (const uint8_t *)"", used);
    free(out);
    return 0;
}

/* Drain the job queue, then run due timers, until nothing is left. */
static int run_event_loop(void) {
    for (;;) {
        JSContext *c1;
        int r;
        while ((r = JS_ExecutePendingJob(rt, &c1)) > 0) {
        }
        if (r < 0) {
            JSValue e = JS_GetException(ctx);
            report_uncaught(e, 0);
            int code = exit_code_for(e);
            JS_FreeValue(ctx, e);
            return code;
        }
        JSValue more;
        if (call_prelude("runNextTimer", 0, NULL, &more) < 0) {
            JSValue e = JS_GetException(ctx);
            report_uncaught(e, 0);
            int code = exit_code_for(e);
            JS_FreeValue(ctx, e);
            return code;
        }
        int again = JS_ToBool(ctx, more);
        JS_FreeValue(ctx, more);
        if (!again) return 0;
    }
}

/* The JS stack at this moment, into the result buffer. Called by the host after a
 * trap: the trap unwound the wasm frames without running any C code, so QuickJS's
 * frame chain still describes the JS call that led into the trapping wasm. */
JSValue edgebox_plain_stack(JSContext *ctx); /* build.py's patch to quickjs.c */

EXPORT("edgebox_js_stack")
int32_t edgebox_js_stack(void) {
    /* After a trap the engine's C frames were unwound without running: no user JS may run
     * now (Error.prepareStackTrace, a stackTraceLimit with a valueOf), so the stack is
     * taken with those hooks set aside. */
    JSValue stack = edgebox_plain_stack(ctx);
    const char *s = JS_IsString(stack) ? JS_ToCString(ctx, stack) : NULL;
    set_result(s ? s : "", s ? strlen(s) : 0);
    if (s) JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, stack);
    return 0;
}

static int32_t run_entry(const char *entry);

/* Run the entry module to completion. Returns the process exit code: the run's own, or 256 +
 * the program's process.exitCode when it ended normally (as Node has it). */
EXPORT("edgebox_run")
int32_t edgebox_run(const char *entry) {
    JSValue name = JS_NewString(ctx, entry);
    JSValue ignored;
    if (call_prelude("setEntry", 1, &name, &ignored) == 0) JS_FreeValue(ctx, ignored);
    JS_FreeValue(ctx, name);
    int32_t code = run_entry(entry);
    if (code != 0) return code;
    JSValue chosen;
    if (call_prelude("exitCode", 0, NULL, &chosen) < 0) return 0;
    int32_t exit_code = 0;
    JS_ToInt32(ctx, &exit_code, chosen);
    JS_FreeValue(ctx, chosen);
    fflush(stdout);
    /* the program's own status, marked (+256) so the host does not read it as one of the
     * limits' exit codes (3, 4, 5, 6) */
    return exit_code & 0xff ? 256 + (exit_code & 0xff) : 0;
}

static int32_t run_entry(const char *entry) {
    JSModuleDef *m = load_module(ctx, entry, NULL);
    JSValue promise;
    if (!m) {
        promise = JS_EXCEPTION;
    } else {
        JSValue fn = JS_DupValue(ctx, JS_MKPTR(JS_TAG_MODULE, m));
        if (JS_ResolveModule(ctx, fn) < 0) {
            JS_FreeValue(ctx, fn);
            promise = JS_EXCEPTION;
        } else {
            promise = JS_EvalFunction(ctx, fn);
        }
    }
    if (JS_IsException(promise)) {
        JSValue e = JS_GetException(ctx);
        report_uncaught(e, 0);
        int code = exit_code_for(e);
        JS_FreeValue(ctx, e);
        return code;
    }
    int loop_code = run_event_loop();
    if (loop_code) return loop_code;
    int code = 0;
    if (JS_IsPromise(promise)) {
        switch (JS_PromiseState(ctx, promise)) {
        case JS_PROMISE_REJECTED: {
            JSValue reason = JS_PromiseResult(ctx, promise);
            report_uncaught(reason, 0);
            int rcode = exit_code_for(reason);
            JS_FreeValue(ctx, reason);
            JS_FreeValue(ctx, promise);
            return rcode;
        }
        case JS_PROMISE_PENDING:
            fprintf(stderr, "Warning: Detected unsettled top-level await in %s\n", entry);
            code = 13; /* as Node does */
            break;
        default:
            break;
        }
    }
    JS_FreeValue(ctx, promise);
    for (int i = 0; i < nunhandled; i++) {
        if (JS_IsPromise(unhandled[i]) && JS_PromiseState(ctx, unhandled[i]) == JS_PROMISE_REJECTED) {
            report_uncaught(unhandled_reason[i], 1);
            return exit_code_for(unhandled_reason[i]);
        }
    }
    fflush(stdout);
    return code;
}

/* ---- snapshots (edgebox-bundle --snapshot, bundler/snapshot.py) --------------------------------
 *
 * At bundle time the host evaluates a synthetic module that imports what the entry imports,
 * checks that nothing is left running, and copies this engine's whole linear memory into the
 * bundle. At run time it instantiates everything as for any run (the same calls in the same
 * order, so every allocation lands where it did), writes the image back and calls
 * edgebox_rearm: the run's own settings, then edgebox_run evaluates only the entry. */

void edgebox_reseed_random(JSContext *ctx, uint64_t seed); /* build.py's patch to quickjs.c */
void __wasilibc_reset_preopens(void);
void __wasilibc_populate_preopens(void);
void __wasilibc_deinitialize_environ(void);
void __wasilibc_initialize_environ(void);

/* The address of a local in a fixed-size frame: equal in two instances only if the shadow
 * stack pointer (__stack_pointer, the engine's one mutable global, not exported) is equal
 * when the host calls in. The host compares it before and after a restore. */
EXPORT("edgebox_stack_probe")
int32_t edgebox_stack_probe(void) {
    volatile char here = 0;
    return (int32_t)(uintptr_t)&here;
}

/* Evaluate module `name` (the synthetic one) without running the event loop. Returns 0, or
 * a reason the state cannot be snapshotted, with its text in the result buffer:
 * 1 it threw, 2 it awaits at top level, 3 promise jobs are pending, 4 timers are pending,
 * 5 a promise was rejected unhandled, 6 the heap limit was reached. */
EXPORT("edgebox_preinit")
int32_t edgebox_preinit(const char *name) {
    JSModuleDef *m = load_module(ctx, name, NULL);
    JSValue promise = JS_EXCEPTION;
    if (m) {
        JSValue fn = JS_DupValue(ctx, JS_MKPTR(JS_TAG_MODULE, m));
        if (JS_ResolveModule(ctx, fn) < 0)
            JS_FreeValue(ctx, fn);
        else
            promise = JS_EvalFunction(ctx, fn);
    }
    fflush(stdout);
    int state = JS_IsPromise(promise) ? (int)JS_PromiseState(ctx, promise) : JS_PROMISE_FULFILLED;
    if (JS_IsException(promise) || state == JS_PROMISE_REJECTED) {
        /* a module that throws rejects the evaluation's promise */
        JSValue e = JS_IsException(promise) ? JS_GetException(ctx) : JS_PromiseResult(ctx, promise);
        JS_FreeValue(ctx, promise);
        set_error_result(e, "an exception");
        return 1;
    }
    JS_FreeValue(ctx, promise);
    set_result("", 0);
    if (state != JS_PROMISE_FULFILLED) return 2;
    if (JS_IsJobPending(rt)) return 3;
    JSValue timers;
    if (call_prelude("pendingTimers", 0, NULL, &timers) < 0) return 1;
    int32_t ntimers = 0;
    JS_ToInt32(ctx, &ntimers, timers);
    JS_FreeValue(ctx, timers);
    if (ntimers) return 4;
    if (nunhandled) return 5;
    if (heap_limit_seen) return 6;
    return 0;
}

/* A restored snapshot: this run's settings over the bundling run's. `config_json` is what
 * edgebox_init takes; the resolution map in it is the bundle's own, already in place. */
EXPORT("edgebox_rearm")
int32_t edgebox_rearm(const char *config_json, size_t config_len, size_t heap_limit, size_t js_stack) {
    JS_SetMemoryLimit(rt, heap_limit ? heap_limit : (size_t)-1);
    JS_SetMaxStackSize(rt, js_stack_limit(js_stack));
    /* Math.random: QuickJS seeded it from the time when the context was made, at bundling */
    uint64_t seed = 0;
    if (getentropy(&seed, sizeof seed) != 0) seed = (uint64_t)(now_ms() * 1e3);
    edgebox_reseed_random(ctx, seed);
    /* wasi-libc read the preopened directories and the environment once, in _initialize, at
     * bundling (no grants then); this run's --allow-read/--allow-env may differ */
    __wasilibc_reset_preopens();
    __wasilibc_populate_preopens();
    __wasilibc_deinitialize_environ();
    __wasilibc_initialize_environ();
    JSValue run_config = JS_ParseJSON(ctx, config_json, config_len, "<edgebox config>");
    if (JS_IsException(run_config)) {
        const char *msg = "bad engine configuration JSON";
        set_result(msg, strlen(msg));
        return 1;
    }
    deadline_ms = deadline_of(run_config);
    JS_SetPropertyStr(ctx, web_native, "args", JS_GetPropertyStr(ctx, run_config, "args"));
    JS_SetPropertyStr(ctx, web_native, "envAllowed", JS_GetPropertyStr(ctx, run_config, "env"));
    JS_FreeValue(ctx, run_config);
    JSValue ignored;
    if (call_prelude("rearm", 0, NULL, &ignored) < 0) {
        JSValue e = JS_GetException(ctx);
        const char *s = JS_ToCString(ctx, e);
        set_result(s ? s : "rearm failed", s ? strlen(s) : 12);
        if (s) JS_FreeCString(ctx, s);
        JS_FreeValue(ctx, e);
        return 1;
    }
    JS_FreeValue(ctx, ignored);
    return 0;
}
