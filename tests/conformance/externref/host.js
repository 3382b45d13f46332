export const echo = (x) => { console.log("echo", typeof x); return x; };
