import { add, big } from "./m.wasm";
add(1.5, -0.25);
add(NaN, Infinity);
add(2147483648, -2147483649);
add(4294967295, 2147483647);
big(2n ** 64n);
big(9223372036854775808n);
big(-9223372036854775808n);
