/*
 * The web platform APIs whose speed matters, in C (one file per API), each adding its
 * natives to the object the engine's JS sees as `native` (glue.c edgebox_init). The JS
 * half of each API is web/<api>.js, embedded in the engine beside the prelude.
 */
#ifndef EDGEBOX_WEB_H
#define EDGEBOX_WEB_H

#include "quickjs.h"

/* A typed array's bytes: its first byte and its length, checked against its buffer (NULL,
 * with an exception pending, when it is not a typed array or its buffer is detached). Call it
 * after every conversion that could run JS: the view may change under a valueOf. glue.c */
uint8_t *edgebox_view_bytes(JSContext *ctx, JSValueConst view, size_t *length);

void edgebox_web_encoding(JSContext *ctx, JSValueConst native); /* encoding.c */
void edgebox_web_crypto(JSContext *ctx, JSValueConst native);   /* crypto.c */
void edgebox_web_fs(JSContext *ctx, JSValueConst native);       /* fs.c */
void edgebox_web_compression(JSContext *ctx, JSValueConst native); /* compression.c */

#endif
