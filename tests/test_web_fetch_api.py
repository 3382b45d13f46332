"""Headers, Request, Response and FormData as bodies (bundler/engine/web/headers.js, fetch.js,
formdata.js), checked against Node on the same programs: their output must be identical. The
programs cover header names and values (validation, whitespace, case, combining, Set-Cookie,
sorted iteration that sees changes made during it), Response's status and statusText checks,
bodies of every kind with the Content-Type each implies, reading a body twice, clones, bodies
as streams (read by the program, given as a ReadableStream, teed by clone), Response.json,
Response.error and Response.redirect, Request's URL, method normalisation, init members and
their TypeErrors, a Request made from another (the body moves), signals, FormData's entries
and multipart/form-data both ways (the boundary replaced, since each runtime picks its own),
and application/x-www-form-urlencoded bodies.

fetch() itself reads only the files the bundle carries (tests/test_fetch_assets.py); here, what
it does with a Request, a signal and the response it gives. Where Node 20 is not what the
standards say, their answer is pinned instead; docs/compatibility.md lists those places.
"""

from __future__ import annotations

import json

from conftest import needs_node

PRELUDE = r"""
const show = (...x) => console.log(JSON.stringify(x));
const tryIt = (f) => { try { return f(); } catch (e) { return e.constructor.name; } };
"""

HEADERS = (
    PRELUDE
    + r"""
const h = new Headers([["b", "1"], ["a", "2"], ["B", "3"]]);
show([...h.keys()], [...h.values()], [...h.entries()]);
const seen = []; h.forEach(function (v, k, o) { seen.push([k, v, o === h, this.x]); }, { x: 9 }); show(seen);
const it = h.keys(); show(it.next()); h.append("c", "4"); h.delete("b"); show(it.next(), it.next());
show(tryIt(() => new Headers(null)), tryIt(() => new Headers("x")), tryIt(() => new Headers([["a", "b", "c"]])), tryIt(() => new Headers({ a: "\u0100" })));
show(new Headers({ a: "\t x \r\n" }).get("a"), tryIt(() => new Headers({ a: "x\0y" })), tryIt(() => new Headers({ "": "x" })));
show([...new Headers(new Headers({ z: "1", y: "2" }))], [...new Headers(new Map([["k", "v"]]))]);
const sc = new Headers(); sc.append("set-cookie", "x=1"); sc.append("Set-Cookie", "y=2"); sc.append("a", "");
show(sc.get("set-cookie"), [...sc], sc.getSetCookie(), sc.has("A"), sc.get("a"));
sc.set("set-cookie", "z=3"); show(sc.getSetCookie());
show(tryIt(() => h.append("x")), tryIt(() => h.get()), tryIt(() => h.forEach(5)));
show(Object.prototype.toString.call(h), String(h.entries()), typeof h[Symbol.iterator], h[Symbol.iterator] === h.entries);
show(Object.getPrototypeOf(Object.getPrototypeOf(h.keys())) === Object.getPrototypeOf(Object.getPrototypeOf([].values())));
"""
)

RESPONSES = (
    PRELUDE
    + r"""
{
const r1 = new Response("x", { status: 65736 }); show(r1.status);
show(tryIt(() => new Response("x", { statusText: "a\nb" })), tryIt(() => new Response("x", { statusText: "é" }).statusText), tryIt(() => new Response("x", 5)), new Response(null, { status: 204 }).status);
show(tryIt(() => Response.redirect("https://a.example/", 200)), tryIt(() => Response.redirect("/x")), tryIt(() => Response.json(undefined)), tryIt(() => Response.json(1n)));
const rd = Response.redirect("https://a.example/b c", 307); show(rd.headers.get("location"), rd.status, rd.statusText, rd.type, rd.body, rd.ok, tryIt(() => rd.headers.append("a","b")));
}
{
const h = new Headers({ "X-B": " 1 ", "x-a": "2" });
h.append("x-b", "3"); h.append("Set-Cookie", "a=1"); h.append("set-cookie", "b=2");
show([...h], h.get("X-B"), h.getSetCookie(), h.has("x-c"), Object.prototype.toString.call(h.keys()));
for (const bad of [() => h.append("bad name", "x"), () => h.append("x", "a\nb"), () => h.get("é"), () => new Headers([["a"]]), () => new Headers(5)])
  try { bad(); } catch (e) { show(e.constructor.name); }
const r = new Response("héllo", { status: 201, statusText: "Made", headers: { "X-Y": "z" } });
show(r.status, r.statusText, r.ok, r.type, r.url, r.redirected, [...r.headers], r.bodyUsed);
show(await r.text(), r.bodyUsed);
await r.text().catch((e) => show(e.constructor.name, e.message));
const j = Response.json({ a: 1 }, { status: 202 });
show(j.status, j.headers.get("content-type"), await j.json());
const e = Response.error(); show(e.type, e.status, e.body);
try { e.headers.set("a", "b") } catch (x) { show(x.constructor.name) }
const rd = Response.redirect("https://example.com/a", 301); show(rd.status, rd.headers.get("location"));
const req = new Request("https://example.com/x?y#z", { method: "post", body: "abc", headers: { a: "b" } });
show(req.method, req.url, [...req.headers], req.mode, req.credentials, req.cache, req.redirect, req.referrer, req.signal.aborted, req.bodyUsed);
const req2 = new Request(req);
show(req.bodyUsed, req2.bodyUsed, await req2.text());
const fd = new FormData(); fd.append("a", "1\n2"); fd.append("f", new Blob(["xyz"], { type: "text/plain" }), "n\".txt");
const fr = new Response(fd);
const ct = fr.headers.get("content-type");
show(ct.split(";")[0]);
const back = await fr.formData();
for (const [k, v] of back) show(k, typeof v === "string" ? v : [v.name, v.type, await v.text()]);
const u = new Response("a=1&b=%20x+y&c", { headers: { "content-type": "application/x-www-form-urlencoded" } });
show([...await u.formData()]);
show(await new Response(new Uint8Array([104, 105])).text(), (await new Response(new Blob(["q"], {type: "a/b"})).blob()).type);
show(await new Response(new URLSearchParams("a=1&b=2")).text(), new Response(new URLSearchParams("a=1")).headers.get("content-type"));
for (const bad of [() => new Response("x", { status: 204 }), () => new Response("", { status: 99 }), () => new Request("/rel"), () => new Request("https://a/", { method: "GET", body: "x" }), () => new Request("https://a/", { method: "CONNECT" })])
  try { bad(); } catch (e) { show(e.constructor.name); }
await fetch("https://example.com/").catch((e) => show(e.constructor.name));
}
{
for (const t of ["Text/HTML; charset=utf-8", "text/plain;A=B;a=c", 'a/b; x="q\\"z"; y=""', "bad", "a/b;charset=\"utf 8\"", " x/y ; k = v", "é/x", "a/b, c/d"])
  console.log(JSON.stringify([t, (await new Response("", { headers: { "content-type": t } }).blob()).type]));
}
"""
)

REQUESTS = (
    PRELUDE
    + r"""
const q = new Request("HTTPS://A.example:443/p/../q?x#frag", { method: "patch", headers: [["x", "1"]], referrer: "", cache: "no-store", credentials: "include", redirect: "manual", integrity: "sha", keepalive: true, mode: "same-origin" });
show(q.url, q.method, q.referrer, q.cache, q.credentials, q.redirect, q.integrity, q.keepalive, q.mode, q.destination, q.referrerPolicy, q.duplex, q.isHistoryNavigation, q.body, q.bodyUsed);
show(["get", "Post", "dElEtE", "options", "head", "put", "Patch", "custom"].map((m) => new Request("https://a.example/", { method: m }).method));
show(tryIt(() => new Request("https://a.example/", { method: "bad method" })), tryIt(() => new Request("https://a.example/", { method: "trace" })), tryIt(() => new Request("https://a.example/", { mode: "navigate" })),
  tryIt(() => new Request("https://a.example/", { cache: "only-if-cached" })), tryIt(() => new Request("https://u:p@a.example/")), tryIt(() => new Request("https://a.example/", { mode: "no-cors", method: "PUT" })),
  tryIt(() => new Request("https://a.example/", { signal: {} })), tryIt(() => new Request("https://a.example/", { window: {} })), tryIt(() => new Request("https://a.example/", { cache: "x" })), tryIt(() => new Request()));
const ac = new AbortController();
const rq = new Request("https://a.example/", { signal: ac.signal, method: "POST", body: new URLSearchParams("a=b c") });
const rq2 = new Request(rq, { headers: { k: "v" } });
show(rq.signal === ac.signal, rq.signal.aborted, [...rq2.headers], rq2.method);
ac.abort(new Error("why")); show(rq.signal.aborted, rq.signal.reason.message, rq2.signal.aborted);
const rc = rq2.clone(); show(rc.url, rc.method, await rc.text(), rq2.bodyUsed, rc.bodyUsed, await rq2.text());
show(rq.bodyUsed, tryIt(() => new Request(rq)));
const qq = new Request("https://a.example/", { method: "POST", body: "x" });
const qq2 = new Request(qq, { body: "y" }); show(qq.bodyUsed, await qq2.text(), await qq.text());
show(await new Request("https://a.example/").text(), (await new Request("https://a.example/", { method: "PUT", body: new Uint16Array([1]) }).arrayBuffer()).byteLength);
const jr = new Request("https://a.example/", { method: "POST", body: '{"a":[1]}' }); show(await jr.json());
await new Response("{bad").json().catch((e) => show(e.constructor.name));
show(await (await new Response("abc", { headers: { "content-type": "Text/HTML; charset=utf-8" } }).blob()).type);
await new Response("a=1").formData().catch((e) => show("formData", e.constructor.name));
await new Response("xx", { headers: { "content-type": "multipart/form-data; boundary=zz" } }).formData().catch((e) => show("multipart", e.constructor.name));
"""
)

STREAM_BODIES = (
    PRELUDE
    + r"""
const r = new Response("hello world");
const body = r.body;
show(body instanceof ReadableStream, r.bodyUsed, r.body === body, body.locked);
const reader = body.getReader();
show(r.bodyUsed, body.locked);
const chunk = await reader.read();
show(chunk.done, [...chunk.value].length, r.bodyUsed);
await r.text().catch((e) => show("second read", e.constructor.name));
try { r.clone(); } catch (e) { show("clone", e.constructor.name); }
const s = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("ab")); c.enqueue(new TextEncoder().encode("cd")); c.close(); } });
const sr = new Response(s);
show(sr.body === s, sr.headers.get("content-type"));
const c = sr.clone();
show(await sr.text(), await c.text(), sr.bodyUsed, c.bodyUsed);
const bad = new Response(new ReadableStream({ start(c) { c.enqueue("str"); c.close(); } }));
await bad.text().catch((e) => show("bad chunk", e.constructor.name));
const blob = new Blob(["x".repeat(70000)]);
let n = 0, total = 0;
for await (const ch of blob.stream()) { n++; total += ch.length; }
show(total, n > 0);
const req = new Request("https://a.example/", { method: "POST", body: new ReadableStream({ start(c) { c.enqueue(new Uint8Array([65])); c.close(); } }), duplex: "half" });
show(await req.text());
try { new Request("https://a.example/", { method: "POST", body: new ReadableStream() }); } catch (e) { show("duplex", e.constructor.name); }
const locked = new ReadableStream(); locked.getReader();
try { new Response(locked); } catch (e) { show("locked", e.constructor.name); }
show(new Response(null).body, new Response("").body !== null);
const rc = new Response("abc"); const rc2 = rc.clone(); rc.body; show(await rc2.text(), await rc.text());
"""
)

FORMDATA = (
    PRELUDE
    + r"""
// the bytes of a body, printable: anything outside ASCII as \xNN
const esc = (u8) => Array.from(u8, (b) => (b >= 32 && b < 127) || b === 10 || b === 13 ? String.fromCharCode(b) : "\\x" + b.toString(16).padStart(2, "0")).join("");
const fd = new FormData();
fd.append("plain", "a\nb\rc\r\nd");
fd.append("na\"me\nx", "v");
fd.append("file", new File(["bytes\n"], "f\"1\n.txt", { type: "Text/Plain" }));
fd.append("blob", new Blob([new Uint8Array([0, 255])]));
fd.append("empty", new File([], "e.bin"), "renamed.bin");
fd.append("uni", "héllo ☃");
const r = new Response(fd);
const type = r.headers.get("content-type");
const boundary = type.slice(type.indexOf("boundary=") + 9);
const bytes = new Uint8Array(await r.arrayBuffer());
show(type.replace(boundary, "B"), esc(bytes).split(boundary).join("B"), boundary.length > 10);
// the same body parsed back, under another boundary
const again = new TextDecoder().decode(bytes).split(boundary).join("XyZ");
const back = await new Response(new TextEncoder().encode(again), { headers: { "content-type": "multipart/form-data; boundary=XyZ" } }).formData();
for (const [k, v] of back) show(k, typeof v === "string" ? v : [v.constructor.name, v.name, v.type, v.size]);
const raw = '--q\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--q\r\ncontent-disposition: form-data; name="f"; filename="x.bin"\r\n\r\nZZ\r\n--q\r\nContent-Disposition: form-data; name="g"; filename="y"\r\nContent-Type: image/png\r\n\r\nP\r\n--q--\r\n';
const p = await new Response(raw, { headers: { "content-type": 'multipart/form-data; boundary="q"' } }).formData();
for (const [k, v] of p) show(k, typeof v === "string" ? v : [v.name, v.type, await v.text()]);
for (const bad of ['--q\r\nContent-Disposition: form-data; name="a"\r\n\r\n1', '--q\r\nContent-Type: a/b\r\n\r\n1\r\n--q--'])
  await new Response(bad, { headers: { "content-type": "multipart/form-data; boundary=q" } }).formData().then((f) => show("parsed", [...f]), (e) => show("bad", e.constructor.name));
await new Response("--q--", { headers: { "content-type": "multipart/form-data" } }).formData().catch((e) => show("no boundary", e.constructor.name));
const u = await new Response("a=%E2%98%83&&b=%zz&c=%F0&=x&d=1=2+3", { headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" } }).formData();
show([...u]);
const viaRequest = await new Request("https://a.example/", { method: "POST", body: new URLSearchParams({ k: "v w" }) }).formData();
show([...viaRequest]);
const f2 = new FormData(); f2.append("k", "1"); f2.append("k", "2"); f2.set("j", "3"); f2.set("k", "4");
show([...f2], f2.getAll("k"), f2.get("zz"), f2.has("j")); f2.delete("k"); show([...f2.keys()], [...f2.values()]);
const seen = []; f2.append("m", "n"); f2.forEach((v, k, o) => seen.push([k, v, o === f2])); show(seen);
show(tryIt(() => f2.append("x", "y", "z")), tryIt(() => f2.append("x")), tryIt(() => new FormData({})), tryIt(() => f2.forEach(1)));
const it = f2.entries(); show(it.next()); f2.append("late", "1"); show([...it]);
show(Object.prototype.toString.call(f2), Object.prototype.toString.call(f2.keys()), f2[Symbol.iterator] === f2.entries);
const b = new Blob(["x"], { type: "a/b" }); f2.set("b", b); const got = f2.get("b");
show(got instanceof File, got.name, got === b, got.size, got.type);
const file = new File(["y"], "orig.txt", { lastModified: 5 }); f2.set("f", file); f2.append("g", file, "other.txt");
show(f2.get("f") === file, f2.get("g") === file, f2.get("g").name, f2.get("g").lastModified);
f2.append("\ud800", "\udc00"); show([...f2.keys()].at(-1).charCodeAt(0), f2.get("\ufffd").charCodeAt(0));
show(Object.keys(FormData.prototype));
"""
)


@needs_node
def test_headers_are_the_same_as_in_node(project):
    project.same_as_node(HEADERS)


@needs_node
def test_responses_are_the_same_as_in_node(project):
    project.same_as_node(RESPONSES)


@needs_node
def test_requests_are_the_same_as_in_node(project):
    project.same_as_node(REQUESTS)


@needs_node
def test_stream_bodies_are_the_same_as_in_node(project):
    project.same_as_node(STREAM_BODIES)


@needs_node
def test_form_data_and_its_body_formats_are_the_same_as_in_node(project):
    project.same_as_node(FORMDATA)


def test_the_standards_where_node_20_differs(project):
    """FormData's constructor has no required argument (length 0; Node 20 says 1); Request's
    prototype has no `attribute` member (Node 20 lists one); a multipart body may carry a
    preamble and an epilogue, which RFC 2046 says to skip (Node 20 rejects the body)."""
    project.write(
        "app.mjs",
        r"""
        const show = (...x) => console.log(JSON.stringify(x));
        show(FormData.length, Object.keys(Request.prototype).includes("attribute"));
        const body = 'preamble\r\n--q\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--q--\r\nepilogue';
        const fd = await new Response(body, { headers: { "content-type": "multipart/form-data; boundary=q" } }).formData();
        show([...fd]);
        """,
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert [json.loads(line) for line in r.out.splitlines()] == [[0, False], [[["a", "1"]]]]


def test_fetch_takes_a_request_and_gives_an_immutable_basic_response(project):
    project.write("data.txt", "héllo asset")
    project.write(
        "app.mjs",
        r"""
        const show = (...x) => console.log(JSON.stringify(x));
        const url = new URL("./data.txt", import.meta.url);
        const r = await fetch(new Request(url + "?q=1#frag"));
        show(r.status, r.statusText, r.ok, r.type, r.url, r.redirected, [...r.headers], r.bodyUsed);
        try { r.headers.set("x", "y"); } catch (e) { show(e.constructor.name); }
        const c = r.clone();
        show(await r.text(), r.bodyUsed, await c.text());
        const s = await fetch(url);
        let streamed = "";
        for await (const chunk of s.body) streamed += new TextDecoder().decode(chunk);
        show(streamed, s.bodyUsed);
        show((await (await fetch(url)).blob()).type, [...await (await fetch(url)).bytes()].length);
        const ac = new AbortController();
        ac.abort(new Error("stopped"));
        await fetch(url, { signal: ac.signal }).catch((e) => show(e.message));
        await fetch(new Request(url, { signal: AbortSignal.abort() })).catch((e) => show(e.name));
        await fetch(url, { method: "CONNECT" }).catch((e) => show(e.constructor.name));
        await fetch(new Request("https://a.example/x")).catch((e) => show(e.constructor.name, e.message));
        await fetch("x.txt").catch((e) => show(e.message.startsWith("fetch failed: a relative URL (x.txt)")));
        """,
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert [json.loads(line) for line in r.out.splitlines()] == [
        [200, "OK", True, "basic", "file:///data.txt?q=1", False, [["content-type", "text/plain"]], False],
        ["TypeError"],
        ["héllo asset", True, "héllo asset"],
        ["héllo asset", True],
        ["text/plain", 12],
        ["stopped"],
        ["AbortError"],
        ["TypeError"],
        [
            "TypeError",
            "fetch failed: network access is not available in the EdgeBox sandbox (https://a.example/x)",
        ],
        [True],
    ]


def test_instantiate_streaming_reads_the_body(project):
    project.wat("m.wasm", '(module (func (export "f") (result i32) i32.const 7))')
    project.write(
        "app.mjs",
        r"""
        const r = await fetch(new URL("./m.wasm", import.meta.url));
        const { instance } = await WebAssembly.instantiateStreaming(r);
        console.log(instance.exports.f(), r.bodyUsed);
        await WebAssembly.compileStreaming(r).catch((e) => console.log(e.constructor.name));
        """,
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["7 true", "TypeError"]


def test_a_program_that_replaces_builtins_first_still_reaches_only_its_file(project):
    """fetch.js runs when the program first reads fetch, after it replaced JSON.stringify,
    JSON.parse and decodeURIComponent; the host is asked through functions made at start-up,
    so a patched serializer cannot turn the read of one file into another request."""
    project.write("data.txt", "mine")
    project.write(
        "app.mjs",
        r"""
        JSON.stringify = () => '{"op":"asset","id":"app.mjs"}';
        JSON.parse = () => ({ exists: true, base64: "U0VDUkVU" });
        decodeURIComponent = (s) => s;
        const url = new URL("./data.txt", import.meta.url);
        console.log(await (await fetch(url)).text());
        await fetch("file:///other.txt").catch((e) => console.log(e.constructor.name));
        """,
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["mine", "TypeError"]


def test_the_fetch_scripts_run_on_first_use(project):
    """Until a program reads Response (or fetch, Request, Headers), fetch.js has not run: the
    globals are the engine's accessors; a program that sets one first keeps its own value."""
    project.write(
        "app.mjs",
        r"""
        const kinds = () => ["fetch", "Request", "Response", "Headers", "Blob", "File", "FormData"]
          .map((n) => typeof Object.getOwnPropertyDescriptor(globalThis, n).get);
        console.log(kinds().join());
        globalThis.Headers = 1;
        void Response;
        console.log(kinds().join(), Headers, typeof new Response("x").headers.get);
        """,
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "function,function,function,function,function,function,function",
        "undefined,undefined,undefined,undefined,function,function,function 1 function",
    ]
