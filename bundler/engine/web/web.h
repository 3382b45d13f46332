/*
 * The web platform APIs whose speed matters, in C (one file per API), each adding its
 * natives to the object the engine's JS sees as `native` (glue.c edgebox_init). The JS
 * half of each API is web/<api>.js, embedded in the engine beside the prelude.
 */
#ifndef EDGEBOX_WEB_H
#define EDGEBOX_WEB_H

#include "quickjs.h"

void edgebox_web_encoding(JSContext *ctx, JSValueConst native); /* encoding.c */
void edgebox_web_crypto(JSContext *ctx, JSValueConst native);   /* crypto.c */

#endif
