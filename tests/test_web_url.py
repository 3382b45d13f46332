"""URL and URLSearchParams (bundler/engine/web/url.js), checked against Node on the same
programs: their output must be identical. The cases are written from the URL Standard's
behaviour (parsing with and without a base, every getter, the setters, hosts of every kind,
URLSearchParams and form encoding, the errors and the object model); a seeded generator adds
relative references made of URL-significant pieces against bases of every kind.

Where Node 20 (its parser is ada 2.9) is behind the standard, the standard's answer is pinned
here instead, with no Node comparison (docs/compatibility.md lists those places).
"""

from __future__ import annotations

import json

import pytest
from conftest import needs_node

# Every component of a URL parsed with and without a base, or the error.
PARSE = r"""
const show = (x) => console.log(JSON.stringify(x));
const parts = (u) => [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash];
const attempt = (input, base) => {
  try {
    show([input, base, ...parts(base === undefined ? new URL(input) : new URL(input, base))]);
  } catch (e) {
    show([input, base, e.constructor.name, e.message, e.code, e.input, e.base]);
  }
};
const RFC = "http://a/b/c/d;p?q";
for (const [input, base] of [
  // relative references against a base
  ["./x.wasm", "file:///app/main.js"], ["../lib/a.js", "file:///app/src/main.js"],
  ["/abs", "https://example.com/a/b?q#f"], ["//other.org/p", "https://example.com/a"],
  ["?only=query", "https://example.com/a/b?x#y"], ["#only-hash", "https://example.com/a/b?x#y"],
  ["", "https://example.com/a/b?x#y"], ["g;x?y#s", RFC], ["../../../g", RFC], ["./g/.", RFC], ["g/../h", RFC],
  ["..", RFC], ["../", RFC], ["g?y/./x", RFC], ["g#s/../x", RFC], ["http:g", RFC], ["https:g", RFC],
  ["\\\\server\\share\\f", "http://a/b"], ["\\x", "http://a/b/c"], ["//h", "mailto:a@b"],
  ["#frag", "mailto:x@y.z"], ["x", "mailto:x@y.z"], ["", "data:x"], ["b", "foo://h/a/"], ["?q", "sc:opaque"],
  [" \t http://EXAMPLE.com/\n a \r ", undefined], ["HTTP://User:Pass@Example.COM:80/A/%2e/B/%2E%2e/C", undefined],
  ["1http://x", undefined], ["x", undefined],
  // ports
  ["https://example.com:443/", undefined], ["https://example.com:0443/", undefined], ["http://e.com:65535/", undefined],
  ["http://e.com:65536/", undefined], ["http://e.com:8080abc/", undefined], ["http://e.com:/x", undefined],
  ["ws://h:80/", undefined], ["wss://h:443/x", undefined], ["ftp://h:21/", undefined], ["ftp://h:22/", undefined],
  ["sc://h:80/", undefined], ["sc://h:99999/", undefined],
  // paths
  ["http://a/b/../../..", undefined], ["http://a/b/%2e%2E/c", undefined], ["http://a/b/./c/.", undefined],
  ["http://a/b/.%2e/c/%2e", undefined], ["http://a/b//c", undefined], ["http://a/\u00fc/\u20ac?\u00fc=\u20ac#\u00fc", undefined],
  ["http://a/{}|`\"<>/", undefined], ["http://a/%zz%2/%41", undefined], ["http://a/\u0000\u001f\u007f", undefined],
  ["http://a/\ud800/\udc00x", undefined], ["http://a/\ud83c\udf08", undefined],
  // queries and fragments
  ["http://a/?'\"<>`{}", undefined], ["foo://a/?'\"<>`{}", undefined], ["http://a/#`{} \"<>", undefined],
  ["http://a/?q#f#g?h", undefined], ["http://a/?a=1&b=%zz&c=+", undefined], ["http://a/?", undefined], ["http://a/#", undefined],
  // userinfo
  ["http://u@s:er:p@ss@h/", undefined], ["http://:@h/", undefined], ["http://@h/", undefined],
  ["http://user%40x:p%3Aw@h/", undefined], ["http://\u00fcser:p\u00e4 ss@h/", undefined], ["http://u:@h/", undefined],
  ["http://@/", undefined], ["http://a:b@/", undefined],
  // IPv6
  ["http://[::1]:8080/", undefined], ["http://[2001:DB8:0:0:0:0:0:1]/", undefined], ["http://[::ffff:192.168.0.1]/", undefined],
  ["http://[1:2:3:4:5:6:7:8]/", undefined], ["http://[1:0:0:2:0:0:0:3]/", undefined], ["http://[0:0:1:0:0:1:0:0]/", undefined],
  ["http://[::]/", undefined], ["http://[1:0::]/", undefined], ["http://[1::2::3]/", undefined], ["http://[::1/", undefined],
  ["http://[1:2:3:4:5:6:7:8:9]/", undefined], ["http://[::1.2.3.4x]/", undefined], ["http://[::1.2.3]/", undefined],
  ["http://[::01.2.3.4]/", undefined], ["http://[fe80::1%25eth0]/", undefined], ["sc://[::1]/", undefined],
  // IPv4
  ["http://192.168.0.1/", undefined], ["http://0x7f.0.0.1/", undefined], ["http://0177.0.0.1/", undefined],
  ["http://2130706433/", undefined], ["http://127.1/", undefined], ["http://127.0.1/", undefined],
  ["http://0x7F000001/", undefined], ["http://1.2.3.4./", undefined], ["http://256.0.0.1/", undefined],
  ["http://1.2.3.256/", undefined], ["http://1.2.65536/", undefined], ["http://4294967295/", undefined],
  ["http://4294967296/", undefined], ["http://09.1/", undefined], ["http://1.2.3.4.5/", undefined],
  ["http://example.0x1/", undefined], ["http://1.2.3.a/", undefined], ["http://0x/", undefined], ["http://1..2/", undefined],
  ["http://%30x7f.1/", undefined], ["sc://127.1/", undefined],
  // domains
  ["http://EXAMPLE.COM./", undefined], ["http://ex%41mple.com/", undefined], ["http://a b/", undefined],
  ["http://a<b/", undefined], ["http://a%25b/", undefined], ["http://a%00b/", undefined], ["http://a^b/", undefined],
  ["http://b\u00fccher.de/", undefined], ["http://\u00c9COLE.fr/", undefined], ["http://\u4f8b\u3048.\u30c6\u30b9\u30c8/", undefined],
  ["http://m\u00fcnchen.de./", undefined], ["http://fa\u00df.de/", undefined], ["http://a\u3002b/", undefined],
  ["http://\uff21\uff22.com/", undefined], ["http://a\u00adb.com/", undefined], ["http://\u00ad/", undefined],
  ["http://\u2603.net/", undefined], ["http://\u0431\u0435\u0437.\u0440\u0444/", undefined], ["http://%E2%98%83.com/", undefined],
  ["http://\u05d0\u05d1.com/", undefined], ["http://\ufffd.com/", undefined], ["http://xn--bcher-kva.de/", undefined],
  // schemes
  ["HTTPS://ex.com", undefined], ["h2ttp+x-y.z://q", undefined], ["http:/example.com/", undefined],
  ["http:example.com", undefined], ["http://", undefined], ["http:///", undefined], ["https:\\\\ex.com\\a", undefined],
  // file URLs
  ["file:///C:/Users/x.txt", undefined], ["file:///C|/x", undefined], ["file:C:/x", undefined], ["file:c:\\dir\\f", undefined],
  ["file://localhost/etc/passwd", undefined], ["file://LOCALHOST/x", undefined], ["file://server/share/x", undefined],
  ["..", "file:///C:/a/b"], ["/D:/x", "file:///C:/a"], ["file:///C:/../..", undefined], ["x", "file:///C:/"],
  ["//host/x", "file:///a"], ["/C|/x", "file:///a"], ["file:/x", undefined], ["file:x", undefined], ["file:", undefined],
  ["file://h:1/x", undefined], ["file://u@h/x", undefined], ["?q", "file:///a/b"], ["file:..", "file:///a/b/c"],
  // non-special schemes
  ["data:text/plain,hello world", undefined], ["data:,A%20brief%20note", undefined], ["blob:https://example.com:8/uuid", undefined],
  ["blob:ftp://x/", undefined], ["blob:d", undefined], ["mailto:someone@example.com?subject=Hi there", undefined],
  ["javascript:alert(1)", undefined], ["urn:isbn:0451450523", undefined], ["custom://host:1234/path?q#f", undefined],
  ["custom://host/a/../b", undefined], ["custom:/a/../../b", undefined], ["custom:", undefined], ["sc://\u00ff/", undefined],
  ["sc://a b/", undefined], ["sc://a%20b/", undefined], ["sc://@/", undefined], ["sc:///x", undefined], ["sc:/.//x", undefined],
  ["sc:\\x", undefined], ["a:\t foo.com", undefined], ["sc://H\u00c9/", undefined], ["sc:x y", undefined],
]) attempt(input, base);
"""

# Each setter on URLs of each kind: the whole URL after it, or the error.
SETTERS = r"""
const show = (x) => console.log(JSON.stringify(x));
const parts = (u) => [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash];
for (const [href, attr, value] of [
  ["https://example.com/a", "protocol", "http"], ["https://example.com:80/", "protocol", "http"],
  ["https://example.com/", "protocol", "foo"], ["foo://x/", "protocol", "bar"], ["foo://x/", "protocol", "http"],
  ["http://u@x/", "protocol", "file"], ["file:///x", "protocol", "http"], ["http://x/", "protocol", "https:ignored"],
  ["http://x/", "protocol", "ht tp"], ["http://x/", "protocol", "WSS"], ["http://x:443/", "protocol", "wss"],
  ["http://x/", "username", "us er@"], ["file:///x", "username", "u"], ["http://x/", "password", "p:w"],
  ["http://u:p@x/", "username", ""], ["http://u:p@x/", "password", ""], ["sc:opaque", "username", "u"],
  ["http://x:8080/a", "host", "y.org:81"], ["http://x:8080/a", "host", "y.org"], ["http://x/", "host", "y:99999"],
  ["http://x/", "host", ""], ["foo://x/", "host", ""], ["foo://u@x/", "host", ""], ["mailto:a@b", "host", "x"],
  ["http://x/", "host", "[::1]:80"], ["http://x/", "host", "y/z?q#f"], ["http://x/", "host", "a b"],
  ["file://h/x", "host", "localhost"], ["file:///x", "host", "srv"], ["http://x/", "host", "\u00e9x.com"],
  ["http://x/", "hostname", "y:80"], ["http://x:81/", "hostname", "Y.COM"], ["http://x/", "hostname", "0x7f.1"],
  ["http://x/", "hostname", ""], ["sc://x/", "hostname", ""], ["http://x/", "hostname", "[::1]"],
  ["http://x/", "port", "8080"], ["http://x:8080/", "port", ""], ["http://x/", "port", "80"], ["https://x/", "port", "443"],
  ["http://x/", "port", "12ab"], ["http://x/", "port", "ab"], ["http://x/", "port", "65536"], ["file:///x", "port", "1"],
  ["http://x/", "port", 8081], ["sc://x/", "port", "80"], ["sc:opaque", "port", "1"],
  ["http://x/a/b", "pathname", "/c/../d e"], ["http://x/", "pathname", "no-slash"], ["http://x/", "pathname", "?#"],
  ["mailto:a@b", "pathname", "x"], ["foo://x/a", "pathname", "b"], ["file:///C:/a", "pathname", "/D|/x"],
  ["http://x/", "pathname", "\\a\\b"], ["sc://x/", "pathname", "\\a"], ["http://x/", "pathname", "%2e%2E/a"],
  ["http://x/a?b#c", "search", "?n=1 2"], ["http://x/a?b#c", "search", ""], ["http://x/a", "search", "#?"],
  ["http://x/", "search", "'"], ["sc://x/", "search", "'"], ["http://x/", "search", "?"], ["http://x/", "search", "\u00e9"],
  ["http://x/a#b", "hash", "#c d"], ["http://x/a#b", "hash", ""], ["http://x/", "hash", "##"], ["http://x/", "hash", "#"],
  ["http://x/", "hash", "`\u00e9"], ["sc:opaque", "hash", "h"],
  ["http://x/", "href", "https://y/z?q=1"], ["http://x/", "href", "relative"], ["http://x/", "href", "file:C|\\w"],
]) {
  const u = new URL(href);
  try {
    u[attr] = value;
    show([href, attr, value, ...parts(u)]);
  } catch (e) {
    show([href, attr, value, e.constructor.name, e.message, e.code, e.input, u.href]);
  }
}
"""

# URLSearchParams: kept in sync with its URL both ways, every constructor form, the methods,
# application/x-www-form-urlencoded parsing and serialising.
SEARCH_PARAMS = r"""
const show = (x) => console.log(JSON.stringify(x));
const attempt = (label, f) => {
  try {
    show([label, f()]);
  } catch (e) {
    show([label, e.constructor.name, e.message, e.code]);
  }
};
// kept in sync both ways
const u = new URL("https://x/p?a=1&b=2&a=3#h");
const sp = u.searchParams;
show([sp === u.searchParams, sp.size, sp.get("a"), sp.getAll("a")]);
sp.append("c", "4 5&=");
show(u.href);
sp.delete("a");
show([u.href, u.search]);
u.search = "?z=9&z=8";
show([...sp]);
sp.set("z", "\u00e9");
show([u.search, u.href]);
u.href = "https://y/?q";
show([sp.get("q"), sp.size, [...sp.keys()]]);
sp.delete("q");
show([u.href, u.search]);
u.hash = "k";
sp.append("n", "");
show(u.href);
u.search = "";
show([sp.size, u.href]);
const o = new URL("sc:opaque?x=1");
o.searchParams.delete("x");
show([o.href, o.pathname]);

// constructors
attempt("string", () => new URLSearchParams("?a=1&a=2&b").toString());
attempt("no ?", () => new URLSearchParams("??a=1").toString());
attempt("record", () => [...new URLSearchParams({ b: 1, a: "x y", "\u00e9": [1, 2], u: undefined })]);
attempt("pairs", () => [...new URLSearchParams([["a", 1], ["b", null], new Set(["c", "d"])])]);
attempt("copy", () => {
  const a = new URLSearchParams("x=1");
  const b = new URLSearchParams(a);
  b.append("y", "2");
  return [a.toString(), b.toString()];
});
attempt("map", () => new URLSearchParams(new Map([["k", "v"], ["k2", "v2"]])).toString());
attempt("generator", () => new URLSearchParams((function* () { yield ["g", "1"]; yield ["h", "2"]; })()).toString());
attempt("empty", () => [new URLSearchParams().toString(), new URLSearchParams(null).toString(), new URLSearchParams(undefined).size, new URLSearchParams("").size]);
attempt("number", () => new URLSearchParams(42).toString());
attempt("function record", () => new URLSearchParams(Object.assign(() => {}, { f: 1 })).toString());
attempt("lone surrogates", () => [...new URLSearchParams([["\ud800", "\udc00x"]])].map(([k, v]) => [k.charCodeAt(0), v.charCodeAt(0)]));

// application/x-www-form-urlencoded
attempt("parse", () => [...new URLSearchParams("a=1&&b=&=c&d&e=f=g&+plus+=%2B%20&%zz=%E2%82%AC&%C3=bad&%EF%BB%BFbom=1&%F0%9F=x&%e2%82%ac=lower")]);
attempt("serialize", () => new URLSearchParams({ " !'()*~-._": "\u00fc\u20ac\ud83c\udf08\n+&=%", "\u0000": "\u007f" }).toString());
attempt("roundtrip", () => {
  const s = new URLSearchParams([["a b", "c+d"], ["\u00e9", "%41"]]).toString();
  return [s, [...new URLSearchParams(s)]];
});

// methods
const p = new URLSearchParams("a=1&b=2&a=3&c=4&a=1");
attempt("get", () => [p.get("a"), p.get("zz"), p.getAll("a"), p.getAll("zz"), p.has("b"), p.has("zz")]);
attempt("has value", () => [p.has("a", "3"), p.has("a", "9"), p.has("a", undefined), p.has("c", 4)]);
attempt("delete value", () => {
  const q = new URLSearchParams(p);
  q.delete("a", "1");
  const r = new URLSearchParams(p);
  r.delete("a", undefined);
  return [q.toString(), r.toString()];
});
attempt("set", () => {
  const q = new URLSearchParams(p);
  q.set("a", "x");
  q.set("new", "y");
  return q.toString();
});
attempt("sort", () => {
  const q = new URLSearchParams("z=1&b=2&a=3&\u00e9=4&\ud83c\udf08=5&\ufb03=6&a=7&B=8&b=9");
  q.sort();
  return q.toString();
});
attempt("size", () => [p.size, new URLSearchParams("a&a&a").size]);
attempt("forEach", () => {
  const seen = [];
  p.forEach(function (value, key, all) { seen.push([key, value, all === p, this.tag]); }, { tag: "t" });
  return seen;
});
attempt("iterators", () => [[...p.keys()], [...p.values()], [...p.entries()], [...p], Array.from(p)]);
attempt("live iteration", () => {
  const q = new URLSearchParams("a=1&b=2");
  const it = q.entries();
  const out = [it.next()];
  q.append("c", "3");
  q.delete("a");
  out.push(it.next(), it.next());
  q.append("d", "4");
  out.push(it.next());
  return out;
});
attempt("forEach while appending", () => {
  const q = new URLSearchParams("a=1");
  const seen = [];
  q.forEach((v, k) => { seen.push(k); if (seen.length < 3) q.append(k + k, v); });
  return [seen, q.toString()];
});
attempt("iterator object", () => {
  const it = p.keys();
  return [Object.prototype.toString.call(it), typeof it[Symbol.iterator], it[Symbol.iterator]() === it,
    Object.getOwnPropertyNames(Object.getPrototypeOf(it))];
});
attempt("coercion", () => {
  const q = new URLSearchParams();
  q.append(1, true);
  q.append({ toString: () => "obj" }, null);
  q.set(undefined, undefined);
  return q.toString();
});
"""

# Errors (messages, codes, input and base), prototypes, property shapes, receivers, subclassing.
OBJECT_MODEL = r"""
const show = (x) => console.log(JSON.stringify(x));
const attempt = (label, f) => {
  try {
    show([label, f()]);
  } catch (e) {
    show([label, e.constructor.name, e.message, e.code, Object.keys(e), e.input, e.base]);
  }
};
const u = new URL("https://user:pw@example.com:8443/a/b?q=1#h");
attempt("missing url", () => new URL());
attempt("invalid", () => new URL("x"));
attempt("invalid base", () => new URL("x", "not a base"));
attempt("invalid with base", () => new URL("http://[", "http://ok/"));
attempt("call", () => { try { URL("http://x/"); } catch (e) { return e.constructor.name; } });
attempt("params call", () => { try { URLSearchParams(); } catch (e) { return e.constructor.name; } });
attempt("href setter", () => { u.href = "nope"; });
attempt("object input", () => new URL({ toString: () => "http://obj/" }).href);
attempt("URL input", () => new URL(u).href === u.href);
attempt("URL base", () => new URL("c", u).href);
attempt("canParse", () => [URL.canParse("http://x"), URL.canParse("x"), URL.canParse("x", "http://b/"), URL.canParse("x", "bad"), URL.canParse(u)]);
attempt("canParse missing", () => URL.canParse());
attempt("parse", () => [URL.parse("x"), URL.parse("x", "http://b/a").href, URL.parse("http://y") instanceof URL]);
attempt("parse missing", () => URL.parse());
attempt("toString", () => [String(u), u.toString(), u.toJSON(), JSON.stringify({ u }), `${u}`]);
attempt("tags", () => [Object.prototype.toString.call(u), Object.prototype.toString.call(u.searchParams),
  Object.prototype.toString.call(URL.prototype), String(URLSearchParams.prototype)]);
attempt("keys", () => [Object.keys(u), Object.keys(URL.prototype), Object.keys(URLSearchParams.prototype),
  Object.keys(URL).filter((k) => !k.endsWith("ObjectURL"))]);
attempt("names", () => [Object.getOwnPropertyNames(URL.prototype), Object.getOwnPropertyNames(URLSearchParams.prototype)]);
attempt("lengths", () => [URL.length, URLSearchParams.length, URL.canParse.length, URL.parse.length, URL.name,
  URLSearchParams.prototype.append.length, URLSearchParams.prototype.delete.length, URLSearchParams.prototype.has.length,
  URLSearchParams.prototype.forEach.length]);
attempt("descriptors", () => [Object.getOwnPropertyDescriptor(URL.prototype, "href").enumerable,
  typeof Object.getOwnPropertyDescriptor(URL.prototype, "href").set, Object.getOwnPropertyDescriptor(URL.prototype, "origin").set,
  Object.getOwnPropertyDescriptor(URL.prototype, Symbol.toStringTag),
  URLSearchParams.prototype[Symbol.iterator] === URLSearchParams.prototype.entries]);
attempt("instanceof", () => [u instanceof URL, u.searchParams instanceof URLSearchParams, Object.getPrototypeOf(u) === URL.prototype]);
attempt("getter receiver", () => Object.getOwnPropertyDescriptor(URL.prototype, "href").get.call({}));
attempt("method receiver", () => URL.prototype.toString.call(Object.create(URL.prototype)));
attempt("params receiver", () => URLSearchParams.prototype.get.call({}, "a"));
attempt("size receiver", () => Object.getOwnPropertyDescriptor(URLSearchParams.prototype, "size").get.call(u));
attempt("iterator receiver", () => u.searchParams.keys().next.call({}));
attempt("append missing", () => new URLSearchParams().append("a"));
attempt("set missing", () => new URLSearchParams().set());
attempt("get missing", () => new URLSearchParams().get());
attempt("bad tuple", () => new URLSearchParams([["a"]]));
attempt("bad tuple 3", () => new URLSearchParams([["a", "b", "c"]]));
attempt("bad pair", () => new URLSearchParams([1]));
attempt("not iterable", () => new URLSearchParams({ [Symbol.iterator]: 5 }));
attempt("forEach undefined", () => new URLSearchParams().forEach());
attempt("forEach number", () => new URLSearchParams().forEach(5));
attempt("forEach string", () => new URLSearchParams().forEach("abc"));
attempt("forEach object", () => new URLSearchParams().forEach({}));
attempt("subclass", () => {
  class My extends URL { get extra() { return this.hostname + "!"; } }
  const m = new My("http://sub.example/");
  return [m.extra, m.href, m instanceof URL, Object.prototype.toString.call(m)];
});
attempt("no own state", () => Object.getOwnPropertyNames(new URL("http://a/")));
attempt("blob origin", () => [new URL("blob:https://a.com:8/x").origin, new URL("blob:file:///x").origin, new URL("blob:d").origin]);
attempt("origins", () => ["http://a:80/", "ftp://a:21/", "file:///x", "sc://a/", "wss://h:444/", "https://[::1]/"].map((s) => new URL(s).origin));
"""

# Generated relative references (the same sequence in both engines) against 12 bases: 3,000
# drawn, 2,963 compared.
GENERATED = r"""
// relative references built from URL-significant pieces by a seeded generator, against bases of
// every kind; the same sequence in both engines
let seed = 20260719;
const rand = (n) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) % n);
};
const PIECES = ["/", "//", "\\", ".", "..", "%2e", "%2E%2e", "?", "#", ":", "@", "[", "]", "::1", "a", "B", "C:", "c|",
  "x.y", "1", "255", "0x1", "%41", "%", "\u00fc", "\t", "\n", "http:", "file:", "sc:", "mailto:", "//h", "//u:p@h:8",
  "[::1]", "&", "=", "+", "'", "\"", "<", "`", "{", "|", "~", "\u00e9", "%zz", "..\\", "./", "\u20ac", "xn"];
const BASES = ["http://h/a/b?q#f", "https://u:p@h:8/a/", "file:///C:/x/y", "file://srv/s/t", "sc://h/a/b", "sc:opaque",
  "mailto:x@y", "http://[::1]/p", "data:,x", "file:///", "ws://h/", "sc:/a/b"];
const OPAQUE = ["sc:opaque", "mailto:x@y", "data:,x"];
const out = [];
for (let i = 0; i < 3000; i++) {
  let input = "";
  for (let n = 1 + rand(6); n > 0; n--) input += PIECES[rand(PIECES.length)];
  const base = BASES[rand(BASES.length)];
  // Node 20 resolves a relative reference with a "#" after its start against an opaque path
  // (mailto:x@y + "a#b"); the standard has that fail. Those are left out.
  if (OPAQUE.includes(base) && input.indexOf("#") > 0) continue;
  let r;
  try {
    const u = new URL(input, base);
    r = [u.href, u.host, u.pathname, u.search, u.hash, u.origin];
  } catch (e) {
    r = e.message;
  }
  out.push(JSON.stringify([input, base, r]));
}
console.log(out.join("\n"));
"""


@needs_node
@pytest.mark.parametrize(
    "program",
    [PARSE, SETTERS, SEARCH_PARAMS, OBJECT_MODEL, GENERATED],
    ids=["parse", "setters", "search-params", "object-model", "generated"],
)
def test_same_output_as_node(project, program):
    project.same_as_node(program)


def test_the_standard_where_node_20_differs(project):
    """The URL Standard's answers (the web-platform-tests' urltestdata.json and
    setters_tests.json have these) where Node 20 gives older ones: `^` in a path is
    percent-encoded; in an opaque path a space before `?` or `#` is `%20`; an ASCII `xn--` label
    is only lowercased; a relative reference against an opaque path fails unless it starts with
    `#`; three setter cases."""
    project.write(
        "app.mjs",
        r"""
const show = (x) => console.log(JSON.stringify(x));
const attempt = (f) => { try { return f(); } catch (e) { return e.message; } };
show([new URL("foo://host/a^b").pathname, new URL("http://h/^").href]);
show([new URL("sc:opaque  ?hi").href, new URL("sc:a b #c").href]);
const o = new URL("sc:space    #fragment");
o.hash = "";
show([o.href, o.pathname]);
show([new URL("https://xn--/").host, new URL("http://a.b.c.XN--pokxncvks").host, new URL("http://10.0.0.xn--pokxncvks").host]);
show([attempt(() => new URL("a#b", "mailto:x@y").href), new URL("#b", "mailto:x@y").href]);
const h = new URL("foo://path/to");
h.host = ":80";
const p = new URL("https://domain.com:3000");
p.port = "\n\n\t\t";
const q = new URL("foo://path/to");
q.pathname = "/..";
show([h.href, p.href, q.href]);
""",
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert [json.loads(line) for line in r.out.splitlines()] == [
        ["/a%5Eb", "http://h/%5E"],
        ["sc:opaque %20?hi", "sc:a b%20#c"],
        ["sc:space   %20", "space   %20"],
        ["xn--", "a.b.c.xn--pokxncvks", "10.0.0.xn--pokxncvks"],
        ["Invalid URL", "mailto:x@y#b"],
        ["foo://path/to", "https://domain.com:3000/", "foo://path/"],
    ]


def test_replaced_builtins_do_not_change_parsing(project):
    """web/url.js takes the String, RegExp, Map and typed-array methods it uses when it first
    runs (the engine evaluates it when a program first reads URL or URLSearchParams, to keep it
    out of start-up): a program that replaces them (or TextDecoder, or String) afterwards
    parses the same."""
    project.write(
        "app.mjs",
        r"""
// built-ins a program replaces after URL's first use do not change how URLs parse
URL.canParse("x:");
const owners = [String.prototype, String.prototype, String.prototype, String.prototype, String.prototype,
  Array.prototype, RegExp.prototype, Map.prototype];
const names = ["slice", "toLowerCase", "indexOf", "charCodeAt", "normalize", "push", "exec", "get"];
const saved = names.map((name, i) => owners[i][name]);
const globals = ["TextDecoder", "TextEncoder", "String"];
const savedGlobals = globals.map((name) => globalThis[name]);
const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
const lengthDescriptor = Object.getOwnPropertyDescriptor(typedArray, "length");
for (let i = 0; i < names.length; i++) owners[i][names[i]] = () => { throw new Error(names[i]); };
for (const name of globals) globalThis[name] = undefined;
Object.defineProperty(typedArray, "length", { get: () => 1e9, configurable: true });
let result;
try {
  const u = new URL("HTTP://B\u00dcCHER.de:80/a/../b%2Fc?x=%C3%A9+y#h", "file:///base");
  const p = new URLSearchParams({ "\u00e9 x": "1", b: "%E2%82%AC" });
  p.sort();
  result = [u.href, u.searchParams.get("x"), p.toString(), new URLSearchParams(p.toString()).get("b")];
} catch (e) {
  result = e;
}
for (let i = 0; i < names.length; i++) owners[i][names[i]] = saved[i];
globals.forEach((name, i) => { globalThis[name] = savedGlobals[i]; });
Object.defineProperty(typedArray, "length", lengthDescriptor);
console.log(result instanceof Error ? `${result.message} ${result.stack}` : JSON.stringify(result));
""",
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert json.loads(r.out) == [
        "http://xn--bcher-kva.de/b%2Fc?x=%C3%A9+y#h",
        "\u00e9 y",
        "b=%25E2%2582%25AC&%C3%A9+x=1",
        "%E2%82%AC",
    ]
