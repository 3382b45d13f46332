"""setTimeout, setInterval and their clears (WinterTC's minimum common API, issue 12): the
event loop runs timers in the order they fall due, equal ones in the order they were set,
and every microtask queued by one before the next, as in Node and browsers (HTML's timer
initialisation steps). Each program's order does not hang on the machine's speed: gaps
between due times are tens of milliseconds."""

from __future__ import annotations

from conftest import needs_node

ORDER = """\
const log = [];
setTimeout(() => log.push("t100"), 100);
setTimeout(() => log.push("t0-a"), 0);
setTimeout(() => { log.push("t0-b"); Promise.resolve().then(() => log.push("micro after t0-b")); }, 0);
setTimeout(() => log.push("t0-c"), 0);
setTimeout((a, b) => log.push(`args ${a} ${b}`), 10, "x", 2);
let n = 0;
const every = setInterval(() => {
  log.push(`interval ${++n}`);
  if (n === 3) clearInterval(every);
}, 40);
const cancelled = setTimeout(() => log.push("never"), 20);
clearTimeout(cancelled);
clearTimeout(undefined);
clearTimeout(12345);
setTimeout(() => {
  // a timer set from a timer with 0 runs after those already due
  setTimeout(() => log.push("nested 0"), 0);
  log.push("t60");
}, 60);
queueMicrotask(() => log.push("microtask first"));
setTimeout(() => console.log(log.join("\\n")), 200);
"""

HANDLES = """\
const a = setTimeout(() => {}, 1), b = setInterval(() => {}, 1);
console.log(typeof a === typeof b, a !== b);
clearInterval(b);
clearTimeout(a);
// clearTimeout clears an interval and clearInterval a timeout: one list of timers
const i = setInterval(() => console.log("interval ran"), 5);
clearTimeout(i);
const t = setTimeout(() => console.log("timeout ran"), 5);
clearInterval(t);
// an interval that throws nothing and clears itself from a later timeout
let ticks = 0;
const iv = setInterval(() => ticks++, 10);
setTimeout(() => { clearInterval(iv); console.log(ticks >= 2 && ticks <= 12); }, 60);
// a negative or NaN delay is 0
setTimeout(() => console.log("negative"), -5);
setTimeout(() => console.log("nan"), NaN);
"""


@needs_node
def test_timers_run_in_the_order_they_fall_due(project):
    out = project.same_as_node(ORDER).out
    assert out.splitlines() == [
        "microtask first", "t0-a", "t0-b", "micro after t0-b", "t0-c", "args x 2", "interval 1",
        "t60", "nested 0", "interval 2", "t100", "interval 3",
    ]  # fmt: skip


@needs_node
def test_timer_handles_and_clears(project):
    assert project.same_as_node(HANDLES).out == "true true\nnegative\nnan\ntrue\n"
