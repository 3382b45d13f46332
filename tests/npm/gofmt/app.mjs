// @wasm-fmt/gofmt: format Go source (TinyGo-built wasm that imports nothing).
import { format } from "@wasm-fmt/gofmt/bundler";

const src = `package main
import "fmt"
func main(){
x:=map[string]int{"héllo":1,"wörld🌍":2}
for k,v:=range x{fmt.Println(k,v)}
}`;
console.log(format(src));
console.log(JSON.stringify(format("package main\n")));
try {
  format("package main\nfunc (");
} catch (e) {
  console.log("error:", String(e));
}
