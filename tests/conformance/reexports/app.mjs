import { inc, increment, ns } from "./mid.mjs";
console.log(inc(1), increment(2), ns.inc(3), inc === increment);
