// @wasm-fmt/ruff_fmt: format Python source with options; a syntax error is an exception.
import { format } from "@wasm-fmt/ruff_fmt/bundler";

const input = `x = {  'a':37,'b':42,
'c':927}
y = 'hello ''world'
z = 'héllo '+'wörld 🌍'
class foo  (     object  ):
  def f    (self   ):
    return       37*-+2
def f  (   a ) :
  return      37+-+a[42-x :  y**3]`;
console.log(format(input, "main.py", { indent_style: "space", indent_width: 4, line_width: 88, quote_style: "double" }));
console.log(format(input, "main.py", { indent_style: "tab", quote_style: "single" }));
try {
  format("def f(:\n  pass", "bad.py");
} catch (e) {
  console.log("syntax error:", String(e));
}
