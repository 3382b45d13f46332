export { add as plus, mul as times } from "./m.wasm";
import { big } from "./m.wasm";
export { big };
