// An edge function in the shape Workers, Deno Deploy and Vercel's edge runtime run: a handler
// from Request to Response, driven by a few requests made here. WinterTC APIs only: URL, Request,
// Response, Headers, FormData, Blob, crypto.subtle, CompressionStream, AbortSignal.timeout,
// EventTarget, structuredClone. `edgebox-exec samples/edge-function/app.ts` runs it as Deno does.
interface Env {
  readonly greeting: string;
}
type Handler = (request: Request, env: Env, signal: AbortSignal) => Promise<Response>;

const hex = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

async function roundTrip(text: string, format: CompressionFormat): Promise<string> {
  const packed = new Response(text).body!.pipeThrough(new CompressionStream(format));
  const bytes = new Uint8Array(await new Response(packed).arrayBuffer());
  const unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format));
  return new Response(unpacked).text();
}

const handler: Handler = async (request, env, signal) => {
  const url = new URL(request.url);
  switch (url.pathname) {
    case "/hash": {
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(await request.text()));
      return Response.json({ sha256: hex(digest) });
    }
    case "/gzip": {
      const text = (await request.text()).repeat(Number(url.searchParams.get("times") ?? 1));
      const back = await roundTrip(text, "gzip");
      return new Response(`${back.length} ${back === text}`, { headers: { "content-type": "text/plain" } });
    }
    case "/form": {
      const form = await request.formData();
      const file = form.get("upload") as File;
      return Response.json({ names: [...form.keys()], file: file.name, size: file.size, text: await file.text() });
    }
    case "/slow": {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, 1000);
        signal.addEventListener("abort", () => { clearTimeout(timer); reject(signal.reason); });
      });
      return new Response("too late");
    }
    default:
      return new Response(`${env.greeting}: no route ${url.pathname}`, { status: 404, headers: { "x-route": "none" } });
  }
};

const form = new FormData();
form.append("name", "edge");
form.append("upload", new Blob(["file body"], { type: "text/plain" }), "notes.txt");
const requests: Request[] = [
  new Request("https://edge.test/hash", { method: "POST", body: "abc" }),
  new Request("https://edge.test/gzip?times=1000", { method: "POST", body: "hello edge " }),
  new Request("https://edge.test/form", { method: "POST", body: form }),
  new Request("https://edge.test/missing"),
  new Request("https://edge.test/slow"),
];
let failures = 0;
for (const request of requests) {
  const signal = AbortSignal.timeout(50);
  try {
    const response = await handler(request, { greeting: "hi" } satisfies Env, signal);
    const headers = [...response.headers].map(([k, v]) => `${k}=${v.replace(/boundary=.*/, "boundary=…")}`).join(" ");
    console.log(request.method, new URL(request.url).pathname, response.status, response.ok, headers, await response.text());
  } catch (e) {
    failures++;
    console.log(request.method, new URL(request.url).pathname, "failed:", (e as DOMException).name);
  }
}
const events = new EventTarget();
events.addEventListener("done", (e) => console.log("done with", (e as CustomEvent<number>).detail, "failure(s)"));
events.dispatchEvent(new CustomEvent("done", { detail: failures }));
const copy = structuredClone({ when: new Date(0), tags: new Set(["a"]), failures });
console.log(copy.when.toISOString(), JSON.stringify([...copy.tags]), copy.failures);
// a deadline that fires is an answer, not a failure of the program: exit 0
