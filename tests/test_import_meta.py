"""import.meta (issue 12, point 4): url, filename, dirname and resolve. The bundle is the file
system a program sees: `file:///` and the module's path in it, which `new URL("./x", import.meta.url)`
and fetch() agree on (test_fetch_assets.py)."""

from __future__ import annotations


def test_import_meta_names_the_module_in_the_bundle(project):
    project.write(
        "lib/x.js", "export const here = [import.meta.url, import.meta.filename, import.meta.dirname];\n"
    )
    project.write(
        "app.js",
        'import { here } from "./lib/x.js";\n'
        "console.log(import.meta.url, import.meta.filename, import.meta.dirname);\n"
        "console.log(here.join(' '));\n"
        "console.log(import.meta.resolve('./lib/x.js'), import.meta.resolve('./not/here.js'));\n"
        "console.log(new URL('./lib/x.js', import.meta.url).href === import.meta.resolve('./lib/x.js'));\n",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "file:///app.js /app.js /",
        "file:///lib/x.js /lib/x.js /lib",
        "file:///lib/x.js file:///not/here.js",
        "true",
    ]
