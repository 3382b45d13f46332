// loro-crdt: two documents, concurrent edits, merged through exported updates and a snapshot.
// "loro-crdt/bundler" is the package's build for bundlers (wasm imported as an ES module); under
// the "browser" condition its "." entry is a build that downloads and compiles its wasm at run
// time (XMLHttpRequest, WebAssembly.Module), as it would under an edge bundler's conditions too.
import { LoroDoc } from "loro-crdt/bundler";

const alice = new LoroDoc();
alice.setPeerId(1n);
alice.getText("text").insert(0, "Hello world!");
alice.getMap("meta").set("title", "notes");
alice.commit();

const bob = new LoroDoc();
bob.setPeerId(2n);
bob.import(alice.export({ mode: "snapshot" }));
bob.getText("text").insert(5, ", héllo 🌍");
bob.getMap("meta").set("edits", 1);
bob.commit();
alice.getText("text").insert(12, " (alice)");
alice.commit();

alice.import(bob.export({ mode: "update", from: alice.oplogVersion() }));
bob.import(alice.export({ mode: "update", from: bob.oplogVersion() }));
console.log(JSON.stringify(alice.toJSON()));
console.log("same", JSON.stringify(alice.toJSON()) === JSON.stringify(bob.toJSON()));
const snapshot = alice.export({ mode: "snapshot" });
console.log("snapshot", snapshot.constructor.name, snapshot.length > 0, LoroDoc.fromSnapshot(snapshot).getText("text").toString());
