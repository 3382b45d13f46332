"""performance.mark/measure and their entries (User Timing), and console.table/dir with options
(issue 12), compared with Node on the same programs: types, names, details, durations between
marks, ordering, clearing, errors; tables of arrays, objects, Maps and Sets."""

from __future__ import annotations

from conftest import needs_node

PROGRAM = r"""
const show = (x) => console.log(JSON.stringify(x));
const a = performance.mark("a", { detail: { step: 1 } });
const b = performance.mark("b", { startTime: a.startTime + 5 });
show([a instanceof PerformanceMark, a instanceof PerformanceEntry, a.entryType, a.name, a.duration, a.detail, Math.round(b.startTime - a.startTime)]);
const m = performance.measure("a-to-b", "a", "b");
// rounded: a time plus 5, minus that time, is 5 only up to float rounding, in both runtimes
show([m instanceof PerformanceMeasure, m.entryType, Math.round(m.duration), m.startTime === a.startTime, m.detail]);
const m2 = performance.measure("opts", { start: "a", duration: 2, detail: "d" });
show([Math.round(m2.duration), m2.detail, m2.startTime === a.startTime]);
show(performance.getEntries().map((e) => [e.entryType, e.name]));
show([performance.getEntriesByName("a").length, performance.getEntriesByType("measure").map((e) => e.name)]);
performance.clearMarks("a");
show(performance.getEntriesByType("mark").map((e) => e.name));
performance.clearMeasures();
show(performance.getEntries().length);
try { performance.measure("x", "nope"); } catch (e) { show([e.name, e instanceof DOMException]); }
show(Object.keys(b.toJSON()));
show([typeof performance.timeOrigin, performance.now() >= 0]);
"""


@needs_node
def test_user_timing_as_in_node(project):
    project.same_as_node(PROGRAM)


CONSOLE = r"""
console.table([{ a: 1, b: "x" }, { a: 22, c: true }]);
console.table({ r1: { x: 1 }, r2: { y: [1, 2] } });
console.table([1, "two", { z: 3 }]);
console.table([{ a: 1, b: 2 }], ["b"]);
console.table(new Map([["k", 1]]));
console.table(new Set(["s"]));
console.table("not tabular");
console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });
console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 5 });
console.dir({ a: { b: { c: { d: 1 } } } });
"""


@needs_node
def test_console_table_and_dir_with_options_as_in_node(project):
    project.same_as_node(CONSOLE)
