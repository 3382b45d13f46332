import * as m from "./m.wasm";
m.add(1); // edgebox-ignore EB002
// edgebox-ignore EB003
m.big(5);
// edgebox-ignore EB002 EB003
m.add(1n);
m.add(1, 2); // edgebox-ignore EB002
// edgebox-ignore EB004
m.add(1, 2);
m.add(1); // edgebox-ignore EB003
