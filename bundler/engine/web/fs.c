/*
 * Files and standard input: the native half of node:fs/promises and process.stdin (web/fs.js).
 *
 * The engine reaches files through WASI, so it sees only the directories edgebox-exec
 * preopened for --allow-read and --allow-write (engine/sandbox.py), under the names given
 * there; wasi-libc resolves a path against those and answers ENOTCAPABLE for any other. Each
 * native here returns its value, or on failure the errno's name as a string ("ENOENT"), which
 * fs.js turns into the Error Node would throw: the numbers differ between WASI and Linux, the
 * names do not.
 *
 * Every call blocks until the host answers: the engine has one thread, and a program reading a
 * file or standard input waits for it, as with Node's synchronous calls (fs.js still returns
 * promises, so code written for Node's promise API runs unchanged).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits.h>
#include <wasi/api.h>
#include <wasi/libc-find-relpath.h>

#include "quickjs.h"
#include "web.h"

/* The errno name fs.js reports as "needs --allow-read/--allow-write" */
#define NOT_GRANTED "ENOTCAPABLE"

/* A chunk of standard input at most this big per read, as Node's stream reads 64 KiB. */
#define STDIN_CHUNK 65536

static const char *errno_name(int e) {
    switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EISDIR: return "EISDIR";
    case ENOTDIR: return "ENOTDIR";
    case EEXIST: return "EEXIST";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ELOOP: return "ELOOP";
    case EROFS: return "EROFS";
    case ENOSPC: return "ENOSPC";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EFBIG: return "EFBIG";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE: return NOT_GRANTED;
#endif
    default: return "EIO";
    }
}

static JSValue errno_value(JSContext *c) { return JS_NewString(c, errno_name(errno)); }

/* Whether `path` lies in a directory the run was granted: wasi-libc answers ENOENT for one that
 * does not, which would read as "no such file" where the truth is "not allowed". The engine
 * never changes directory, so a relative path is relative to "/", as wasi-libc takes it;
 * fs.js has normalised it (no "." or ".." components).
 *
 * wasi-libc matches every path, absolute or not, against the grants' names with their leading
 * "/" and "./" stripped, so under `--allow-read=.` "/etc/passwd" would name etc/passwd in the
 * working directory. An absolute path must therefore lie under a grant whose own name is
 * absolute (sandbox.py grants each directory under its absolute path too). */
static int granted(const char *path) {
    const char *prefix, *relative;
    if (path[0] != '/') return __wasilibc_find_abspath(path, &prefix, &relative) >= 0;
    size_t n = strlen(path);
    for (__wasi_fd_t fd = 3; fd != 0; fd++) {
        __wasi_prestat_t prestat;
        __wasi_errno_t r = __wasi_fd_prestat_get(fd, &prestat);
        if (r == __WASI_ERRNO_BADF) return 0; /* past the last grant */
        if (r != __WASI_ERRNO_SUCCESS || prestat.tag != __WASI_PREOPENTYPE_DIR) continue;
        size_t len = prestat.u.dir.pr_name_len;
        char name[PATH_MAX];
        if (len == 0 || len >= sizeof name || __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len)) continue;
        while (len > 1 && name[len - 1] == '/') len--; /* "/a/" names "/a" */
        if (name[0] != '/' || len > n || memcmp(name, path, len) != 0) continue;
        if (len == 1 || path[len] == '/' || path[len] == '\0') return 1;
    }
    return 0;
}

/* All of fd, read to its end, as a fresh Uint8Array. */
static JSValue read_all(JSContext *c, int fd) {
    size_t size = 0, room = 0;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) room = (size_t)st.st_size + 1;
    if (room == 0) room = 65536;
    uint8_t *buf = malloc(room);
    if (!buf) return JS_ThrowOutOfMemory(c);
    for (;;) {
        if (size == room) {
            uint8_t *bigger = room < SIZE_MAX / 2 ? realloc(buf, room * 2) : NULL;
            if (!bigger) {
                free(buf);
                return JS_ThrowOutOfMemory(c);
            }
            buf = bigger;
            room *= 2;
        }
        ssize_t n = read(fd, buf + size, room - size);
        if (n < 0) {
            if (errno == EINTR) continue;
            free(buf);
            return errno_value(c);
        }
        if (n == 0) break;
        size += (size_t)n;
    }
    JSValue out = JS_NewUint8ArrayCopy(c, buf, size);
    free(buf);
    return out;
}

/* The path argument as a C string; NULL (a TypeError for the caller) for a non-string or one
 * holding a NUL, which C would end at: the file opened must be the one the path names, whatever
 * fs.js checked before. */
static const char *path_arg(JSContext *c, int argc, JSValueConst *argv) {
    if (argc < 1 || !JS_IsString(argv[0])) return NULL;
    size_t length;
    const char *path = JS_ToCStringLen(c, &length, argv[0]);
    if (path && strlen(path) != length) {
        JS_FreeCString(c, path);
        return NULL;
    }
    return path;
}

/* native.fsReadFile(path) → Uint8Array | errno name */
static JSValue js_fs_read_file(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    const char *path = path_arg(c, argc, argv);
    if (!path) return JS_ThrowTypeError(c, "fsReadFile: path must be a string without NUL");
    if (!granted(path)) {
        JS_FreeCString(c, path);
        return JS_NewString(c, NOT_GRANTED);
    }
    int fd = open(path, O_RDONLY);
    JS_FreeCString(c, path);
    if (fd < 0) return errno_value(c);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return JS_NewString(c, "EISDIR");
    }
    JSValue out = read_all(c, fd);
    close(fd);
    return out;
}

/* native.fsWriteFile(path, bytes, append) → undefined | errno name */
static JSValue js_fs_write_file(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    if (argc < 3) return JS_ThrowTypeError(c, "fsWriteFile: bad arguments");
    const char *path = path_arg(c, argc, argv);
    if (!path) return JS_ThrowTypeError(c, "fsWriteFile: path must be a string without NUL");
    int flags = O_WRONLY | O_CREAT | (JS_ToBool(c, argv[2]) ? O_APPEND : O_TRUNC);
    if (!granted(path)) {
        JS_FreeCString(c, path);
        return JS_NewString(c, NOT_GRANTED);
    }
    int fd = open(path, flags, 0666);
    JS_FreeCString(c, path);
    if (fd < 0) return errno_value(c);
    /* the view is read after open: nothing between here and the writes runs JS */
    size_t length;
    uint8_t *data = edgebox_view_bytes(c, argv[1], &length);
    if (!data) {
        close(fd);
        return JS_EXCEPTION;
    }
    for (size_t done = 0; done < length;) {
        ssize_t n = write(fd, data + done, length - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            JSValue e = errno_value(c);
            close(fd);
            return e;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) return errno_value(c);
    return JS_UNDEFINED;
}

/* The most a directory listing asks the host for at once. */
#define READDIR_MAX_BUFFER (64u << 20)

/* native.fsReaddir(path) → [name, is directory, ...] sorted by the caller | errno name
 *
 * Through fd_readdir itself, not wasi-libc's readdir: that asks the host for 4 KiB of entries
 * at a time, and wasmtime answers every ask by listing (and stat-ing) the directory from its
 * start, so a directory of n entries cost O(n²) (10,000 took 13 s, 30,000 two minutes). Here
 * the buffer starts at 1 MiB (some 30,000 names) and grows fourfold whenever the host fills it,
 * so a listing costs one or two passes. Each pass still costs wasmtime ~35 µs an entry (it
 * stats every one): 10,000 entries take ~0.4 s, 100,000 ~6 s. */
static JSValue js_fs_readdir(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    const char *path = path_arg(c, argc, argv);
    if (!path) return JS_ThrowTypeError(c, "fsReaddir: path must be a string without NUL");
    if (!granted(path)) {
        JS_FreeCString(c, path);
        return JS_NewString(c, NOT_GRANTED);
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    JS_FreeCString(c, path);
    if (fd < 0) return errno_value(c);
    size_t cap = 1u << 20;
    uint8_t *buf = malloc(cap);
    JSValue names = buf ? JS_NewArray(c) : JS_ThrowOutOfMemory(c);
    uint32_t i = 0;
    __wasi_dircookie_t cookie = __WASI_DIRCOOKIE_START;
    while (!JS_IsException(names)) {
        __wasi_size_t used;
        __wasi_errno_t failed = __wasi_fd_readdir(fd, buf, cap, cookie, &used);
        if (failed) {
            JS_FreeValue(c, names);
            names = JS_NewString(c, errno_name(failed)); /* wasi-libc's errno values are WASI's */
            break;
        }
        size_t at = 0;
        while (!JS_IsException(names) && used - at >= sizeof(__wasi_dirent_t)) {
            __wasi_dirent_t entry;
            memcpy(&entry, buf + at, sizeof entry);
            if (entry.d_namlen > used - at - sizeof entry) break; /* cut off: asked for again */
            const char *name = (const char *)buf + at + sizeof entry;
            at += sizeof entry + entry.d_namlen;
            cookie = entry.d_next;
            if ((entry.d_namlen == 1 && name[0] == '.') || (entry.d_namlen == 2 && name[0] == '.' && name[1] == '.'))
                continue;
            if (JS_SetPropertyUint32(c, names, i++, JS_NewStringLen(c, name, entry.d_namlen)) < 0 ||
                JS_SetPropertyUint32(c, names, i++, JS_NewBool(c, entry.d_type == __WASI_FILETYPE_DIRECTORY)) < 0) {
                JS_FreeValue(c, names);
                names = JS_EXCEPTION;
            }
        }
        if (JS_IsException(names) || used < cap) break; /* the host had nothing more */
        if (at == 0 && cap >= READDIR_MAX_BUFFER) { /* one entry bigger than any buffer: no progress */
            JS_FreeValue(c, names);
            names = JS_NewString(c, "EIO");
            break;
        }
        if (cap < READDIR_MAX_BUFFER) {
            uint8_t *bigger = realloc(buf, cap * 4);
            if (!bigger) {
                JS_FreeValue(c, names);
                names = JS_ThrowOutOfMemory(c);
                break;
            }
            buf = bigger;
            cap *= 4;
        }
    }
    free(buf);
    close(fd);
    return names;
}

/* native.fsStat(path) → [kind (0 file, 1 directory, 2 other), size, mtime ms, atime ms,
 * ctime ms, mode] | errno name */
static JSValue js_fs_stat(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    const char *path = path_arg(c, argc, argv);
    if (!path) return JS_ThrowTypeError(c, "fsStat: path must be a string without NUL");
    if (!granted(path)) {
        JS_FreeCString(c, path);
        return JS_NewString(c, NOT_GRANTED);
    }
    struct stat st;
    int r = stat(path, &st);
    JS_FreeCString(c, path);
    if (r != 0) return errno_value(c);
    double ms[3] = {
        st.st_mtim.tv_sec * 1e3 + st.st_mtim.tv_nsec / 1e6,
        st.st_atim.tv_sec * 1e3 + st.st_atim.tv_nsec / 1e6,
        st.st_ctim.tv_sec * 1e3 + st.st_ctim.tv_nsec / 1e6,
    };
    JSValue out = JS_NewArray(c);
    int kind = S_ISREG(st.st_mode) ? 0 : S_ISDIR(st.st_mode) ? 1 : 2;
    JS_SetPropertyUint32(c, out, 0, JS_NewInt32(c, kind));
    JS_SetPropertyUint32(c, out, 1, JS_NewFloat64(c, (double)st.st_size));
    for (int i = 0; i < 3; i++) JS_SetPropertyUint32(c, out, 2 + (uint32_t)i, JS_NewFloat64(c, ms[i]));
    JS_SetPropertyUint32(c, out, 5, JS_NewInt32(c, (int32_t)st.st_mode));
    return out;
}

/* native.stdinRead() → the next chunk of standard input as a Uint8Array, null at its end |
 * errno name. Blocks until the host has bytes or the input ends. */
static JSValue js_stdin_read(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    uint8_t *buf = malloc(STDIN_CHUNK);
    if (!buf) return JS_ThrowOutOfMemory(c);
    ssize_t n;
    do {
        n = read(0, buf, STDIN_CHUNK);
    } while (n < 0 && errno == EINTR);
    JSValue out = n < 0 ? errno_value(c) : n == 0 ? JS_NULL : JS_NewUint8ArrayCopy(c, buf, (size_t)n);
    free(buf);
    return out;
}

static const JSCFunctionListEntry fs_funcs[] = {
    JS_CFUNC_DEF("fsReadFile", 1, js_fs_read_file), JS_CFUNC_DEF("fsWriteFile", 3, js_fs_write_file),
    JS_CFUNC_DEF("fsReaddir", 1, js_fs_readdir),    JS_CFUNC_DEF("fsStat", 1, js_fs_stat),
    JS_CFUNC_DEF("stdinRead", 0, js_stdin_read),
};

void edgebox_web_fs(JSContext *ctx, JSValueConst native) {
    JS_SetPropertyFunctionList(ctx, native, fs_funcs, sizeof(fs_funcs) / sizeof(fs_funcs[0]));
}
