/* JSON.stringify's walk over objects and arrays, faster in the common case.
 *
 * Included into quickjs.c just before JS_JSONStringify (build.FAST_PATH_PATCHES), because it
 * uses QuickJS's internals: JSONStringifyContext, StringBuffer, shapes, js_json_check and
 * js_json_to_str. What QuickJS does per value, and what this does instead:
 *
 * - a string is quoted by a new string (JS_ToQuotedString, one character at a time), then
 *   appended: here it is quoted straight into the output, runs of plain bytes at once;
 * - an object's keys are an array of strings (Object.keys), each read back with a string key
 *   (hashed again into an atom) and quoted into a new string: here they stay atoms;
 * - every array element gets its index as a string, for a toJSON or replacer that may never
 *   be called: here a key is made only when one is.
 *
 * Everything a program can see happens in the same order as in QuickJS: the keys are taken
 * before the first property is read, each property is read with [[Get]] (getters, toJSON),
 * an array's elements are read by index each time (a toJSON may change the array), and a
 * replacer array, proxies, boxed primitives and other classes take QuickJS's own path. */

/* js_json_check's last step: what a value serialises as after toJSON and the replacer. */
static JSValue edgebox_json_filter(JSContext *ctx, JSValue val)
{
    switch (JS_VALUE_GET_NORM_TAG(val)) {
    case JS_TAG_OBJECT:
        if (JS_IsFunction(ctx, val))
            break;
        /* fall through */
    case JS_TAG_STRING:
    case JS_TAG_STRING_ROPE:
    case JS_TAG_INT:
    case JS_TAG_FLOAT64:
    case JS_TAG_BOOL:
    case JS_TAG_NULL:
    case JS_TAG_SHORT_BIG_INT:
    case JS_TAG_BIG_INT:
    case JS_TAG_EXCEPTION:
        return val;
    default:
        break;
    }
    JS_FreeValue(ctx, val);
    return JS_UNDEFINED;
}

/* The key toJSON and a replacer are called with: a property's name, or an element's index. */
static JSValue edgebox_json_key(JSContext *ctx, JSAtom atom, int64_t index)
{
    return atom != JS_ATOM_NULL ? JS_AtomToString(ctx, atom) : JS_ToStringFree(ctx, js_int64(index));
}

/* js_json_check, making the key only when toJSON or the replacer is called with it. */
static JSValue edgebox_json_check(JSContext *ctx, JSONStringifyContext *jsc, JSValueConst holder,
                                  JSValue val, JSAtom atom, int64_t index)
{
    JSValue key, f, v;

    if (!JS_IsUndefined(jsc->replacer_func)) {
        key = edgebox_json_key(ctx, atom, index);
        if (JS_IsException(key)) {
            JS_FreeValue(ctx, val);
            return JS_EXCEPTION;
        }
        v = js_json_check(ctx, jsc, holder, val, key);
        JS_FreeValue(ctx, key);
        return v;
    }
    if (JS_IsObject(val) || JS_IsBigInt(val)) {
        f = JS_GetProperty(ctx, val, JS_ATOM_toJSON);
        if (JS_IsException(f)) {
            JS_FreeValue(ctx, val);
            return JS_EXCEPTION;
        }
        if (JS_IsFunction(ctx, f)) {
            key = edgebox_json_key(ctx, atom, index);
            if (JS_IsException(key)) {
                JS_FreeValue(ctx, f);
                JS_FreeValue(ctx, val);
                return JS_EXCEPTION;
            }
            v = JS_CallFree(ctx, f, val, 1, vc(&key));
            JS_FreeValue(ctx, key);
            JS_FreeValue(ctx, val);
            if (JS_IsException(v))
                return JS_EXCEPTION;
            val = v;
        } else {
            JS_FreeValue(ctx, f);
        }
    }
    return edgebox_json_filter(ctx, val);
}

/* A character JSON.stringify escapes, as QuickJS writes it (lower-case \u hex digits). */
static int edgebox_json_escape(StringBuffer *b, uint32_t c)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t u[6] = {'\\', 'u', '0', '0', '0', '0'};

    switch (c) {
    case '\t': c = 't'; break;
    case '\r': c = 'r'; break;
    case '\n': c = 'n'; break;
    case '\b': c = 'b'; break;
    case '\f': c = 'f'; break;
    case '\"':
    case '\\':
        break;
    default: /* a control character or a lone surrogate */
        u[2] = hex[(c >> 12) & 15];
        u[3] = hex[(c >> 8) & 15];
        u[4] = hex[(c >> 4) & 15];
        u[5] = hex[c & 15];
        return string_buffer_write8(b, u, 6);
    }
    if (string_buffer_putc8(b, '\\'))
        return -1;
    return string_buffer_putc8(b, c);
}

/* JS_ToQuotedString's output, written into `b`; frees `str` (a JS_TAG_STRING). */
static int edgebox_json_quote_free(JSContext *ctx, StringBuffer *b, JSValue str)
{
    JSString *p = JS_VALUE_GET_STRING(str);
    const uint8_t *s;
    int i, start, ret = -1;
    uint32_t c;

    if (string_buffer_putc8(b, '\"'))
        goto done;
    if (!p->is_wide_char) {
        s = str8(p);
        for (i = start = 0; i < (int)p->len; i++) {
            c = s[i];
            if (c >= 32 && c != '\"' && c != '\\')
                continue;
            if (i > start && string_buffer_write8(b, s + start, i - start))
                goto done;
            if (edgebox_json_escape(b, c))
                goto done;
            start = i + 1;
        }
        if (i > start && string_buffer_write8(b, s + start, i - start))
            goto done;
    } else {
        for (i = 0; i < (int)p->len;) {
            c = string_getc(p, &i); /* a valid surrogate pair comes back as one code point */
            if (c >= 32 && c != '\"' && c != '\\' && !is_surrogate(c)) {
                if (string_buffer_putc(b, c))
                    goto done;
            } else if (edgebox_json_escape(b, c)) {
                goto done;
            }
        }
    }
    ret = string_buffer_putc8(b, '\"');
done:
    JS_FreeValue(ctx, str);
    return ret;
}

/* How deep JSON.stringify goes before RangeError "Maximum call stack size exceeded", as Node
 * (between 1,000 and 5,000 levels) and native QuickJS (~5,000) stop. Without it the engine's
 * stack check, which sees only the C stack in linear memory, would let the walk go ~150,000
 * levels deep, and each level's cycle check reads every level above it: a 100,000-deep value
 * took 17 s. QuickJS's own walk comes back here for every value (FAST_PATH_PATCHES). */
#define EDGEBOX_JSON_MAX_DEPTH 10000

/* js_json_to_str for plain objects, arrays and strings; everything else goes to it. */
static int edgebox_json_to_str(JSContext *ctx, JSONStringifyContext *jsc, JSValueConst holder,
                               JSValue val, JSValueConst indent)
{
    JSValue indent1 = JS_UNDEFINED, sep = JS_UNDEFINED, sep1 = JS_UNDEFINED, v, key;
    JSPropertyEnum *atoms = NULL;
    uint32_t natoms = 0, k;
    JSObject *p;
    int64_t i, len;
    int ret = -1;
    bool is_array, has_content;

    if (JS_IsObject(val) && JS_VALUE_GET_OBJ(jsc->stack)->u.array.count >= EDGEBOX_JSON_MAX_DEPTH) {
        JS_ThrowStackOverflow(ctx); /* jsc->stack, the values being walked, is a fast array */
        JS_FreeValue(ctx, val);
        return -1;
    }
    if (JS_VALUE_GET_TAG(val) == JS_TAG_STRING && JS_IsUndefined(jsc->property_list))
        return edgebox_json_quote_free(ctx, jsc->b, val);
    if (!JS_IsObject(val) || !JS_IsUndefined(jsc->property_list))
        return js_json_to_str(ctx, jsc, holder, val, indent);
    p = JS_VALUE_GET_OBJ(val);
    is_array = p->class_id == JS_CLASS_ARRAY;
    if (!is_array && p->class_id != JS_CLASS_OBJECT)
        return js_json_to_str(ctx, jsc, holder, val, indent);

    if (js_check_stack_overflow(ctx->rt, 0)) {
        JS_ThrowStackOverflow(ctx);
        goto exception;
    }
    v = js_array_includes(ctx, jsc->stack, 1, vc(&val));
    if (JS_IsException(v))
        goto exception;
    if (JS_ToBoolFree(ctx, v)) {
        JS_ThrowTypeError(ctx, "circular reference");
        goto exception;
    }
    indent1 = JS_ConcatString(ctx, js_dup(indent), js_dup(jsc->gap));
    if (JS_IsException(indent1))
        goto exception;
    if (!JS_IsEmptyString(jsc->gap)) {
        sep = JS_ConcatString3(ctx, "\n", js_dup(indent1), "");
        if (JS_IsException(sep))
            goto exception;
        sep1 = js_new_string8(ctx, " ");
        if (JS_IsException(sep1))
            goto exception;
    } else {
        sep = js_dup(jsc->empty);
        sep1 = js_dup(jsc->empty);
    }
    v = js_array_push(ctx, jsc->stack, 1, vc(&val), 0);
    if (check_exception_free(ctx, v))
        goto exception;

    if (is_array) {
        if (js_get_length64(ctx, &len, val))
            goto exception;
        string_buffer_putc8(jsc->b, '[');
        for (i = 0; i < len; i++) {
            if (i > 0)
                string_buffer_putc8(jsc->b, ',');
            string_buffer_concat_value(jsc->b, sep);
            /* read by index each time (a fast array's element directly): a toJSON called for
             * an earlier element may have changed the array */
            v = JS_GetPropertyInt64(ctx, val, i);
            if (JS_IsException(v))
                goto exception;
            v = edgebox_json_check(ctx, jsc, val, v, JS_ATOM_NULL, i);
            if (JS_IsException(v))
                goto exception;
            if (JS_IsUndefined(v))
                v = JS_NULL;
            if (edgebox_json_to_str(ctx, jsc, val, v, indent1))
                goto exception;
        }
        if (len > 0 && !JS_IsEmptyString(jsc->gap)) {
            string_buffer_putc8(jsc->b, '\n');
            string_buffer_concat_value(jsc->b, indent);
        }
        string_buffer_putc8(jsc->b, ']');
    } else {
        /* Object.keys' list, as atoms: nothing a program wrote runs while a plain object's
         * own enumerable string keys are listed, so they can be filtered as they are listed */
        if (JS_GetOwnPropertyNamesInternal(ctx, &atoms, &natoms, p, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY))
            goto exception;
        string_buffer_putc8(jsc->b, '{');
        has_content = false;
        for (k = 0; k < natoms; k++) {
            v = JS_GetProperty(ctx, val, atoms[k].atom);
            if (JS_IsException(v))
                goto exception;
            v = edgebox_json_check(ctx, jsc, val, v, atoms[k].atom, 0);
            if (JS_IsException(v))
                goto exception;
            if (JS_IsUndefined(v))
                continue;
            if (has_content)
                string_buffer_putc8(jsc->b, ',');
            string_buffer_concat_value(jsc->b, sep);
            key = JS_AtomToString(ctx, atoms[k].atom);
            if (JS_IsException(key)) {
                JS_FreeValue(ctx, v);
                goto exception;
            }
            if (edgebox_json_quote_free(ctx, jsc->b, key)) {
                JS_FreeValue(ctx, v);
                goto exception;
            }
            string_buffer_putc8(jsc->b, ':');
            string_buffer_concat_value(jsc->b, sep1);
            if (edgebox_json_to_str(ctx, jsc, val, v, indent1))
                goto exception;
            has_content = true;
        }
        if (has_content && JS_VALUE_GET_STRING(jsc->gap)->len != 0) {
            string_buffer_putc8(jsc->b, '\n');
            string_buffer_concat_value(jsc->b, indent);
        }
        string_buffer_putc8(jsc->b, '}');
    }
    if (check_exception_free(ctx, js_array_pop(ctx, jsc->stack, 0, NULL, 0)))
        goto exception;
    ret = 0;
exception:
    js_free_prop_enum(ctx, atoms, natoms);
    JS_FreeValue(ctx, val);
    JS_FreeValue(ctx, sep);
    JS_FreeValue(ctx, sep1);
    JS_FreeValue(ctx, indent1);
    return ret;
}
