// URL and URLSearchParams: the WHATWG URL Standard (https://url.spec.whatwg.org/). The parser
// is the standard's basic URL parser, state by state, with the state names it uses; hosts go
// through its host parser (IPv6, IPv4 in all its forms, opaque hosts for other schemes, and
// domains through UTS #46 ToASCII with punycode). The IDNA mapping and validity rules are
// approximated from the engine's Unicode data (case mapping, NFKC, general categories, scripts)
// instead of the IDNA tables: docs/compatibility.md says where that can differ.
(function (native, define) {
  "use strict";
  const utf8Encode = native.utf8Encode;
  const utf8Decode = native.utf8Decode;
  const U8 = Uint8Array;
  const StringCtor = String;
  const TypeErrorCtor = TypeError;
  const RegExpCtor = RegExp;
  const apply = Reflect.apply;
  const ownKeys = Reflect.ownKeys;
  const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
  const defineProperty = Object.defineProperty;
  const setPrototypeOf = Object.setPrototypeOf;
  const fromCharCode = String.fromCharCode;
  const fromCodePoint = String.fromCodePoint;
  const MapCtor = Map;
  const min = Math.min;
  const isArray = Array.isArray;
  const floor = Math.floor;
  const ITERATOR = Symbol.iterator;
  const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][ITERATOR]()));
  // String and RegExp methods, taken before user code runs and called as functions: a program
  // that replaces String.prototype.slice does not change how URLs parse
  const bindCall = (f) => apply(Function.prototype.bind, Function.prototype.call, [f]);
  const charCodeAt = bindCall(String.prototype.charCodeAt);
  const codePointAt = bindCall(String.prototype.codePointAt);
  const slice = bindCall(String.prototype.slice);
  const indexOf = bindCall(String.prototype.indexOf);
  const lastIndexOf = bindCall(String.prototype.lastIndexOf);
  const toLowerCase = bindCall(String.prototype.toLowerCase);
  const toUpperCase = bindCall(String.prototype.toUpperCase);
  const normalize = bindCall(String.prototype.normalize);
  const isWellFormed = bindCall(String.prototype.isWellFormed);
  const toWellFormed = bindCall(String.prototype.toWellFormed);
  const exec = bindCall(RegExp.prototype.exec);
  const TypedArrayPrototype = Object.getPrototypeOf(U8.prototype);
  const byteCount = bindCall(Object.getOwnPropertyDescriptor(TypedArrayPrototype, "length").get);
  const mapGet = bindCall(MapCtor.prototype.get);
  const mapSet = bindCall(MapCtor.prototype.set);

  // WebIDL's USVString: ToString (a TypeError for a Symbol), lone surrogates become U+FFFD
  const usv = (v) => {
    const s = `${v}`;
    return isWellFormed(s) ? s : toWellFormed(s);
  };
  const push = (list, v) => {
    list[list.length] = v;
  };

  // ---- errors, with Node's messages and codes ----
  const nodeError = (message, code, extra) => {
    const e = new TypeErrorCtor(message);
    const props = { code, ...extra };
    const keys = ownKeys(props);
    for (let i = 0; i < keys.length; i++)
      defineProperty(e, keys[i], { value: props[keys[i]], writable: true, enumerable: true, configurable: true });
    return e;
  };
  const invalidURL = (input, base) =>
    nodeError("Invalid URL", "ERR_INVALID_URL", base === undefined ? { input } : { input, base });
  const missingArgs = (name, other = undefined) =>
    nodeError(other === undefined ? `The "${name}" argument must be specified`
      : `The "${name}" and "${other}" arguments must be specified`, "ERR_MISSING_ARGS");
  const invalidThis = (type) => nodeError(`Value of "this" must be of type ${type}`, "ERR_INVALID_THIS");
  const received = (v) => {
    if (v === undefined || v === null) return `${v}`;
    if (typeof v === "function") return `function ${v.name}`;
    if (typeof v === "object") {
      const ctor = v.constructor;
      return typeof ctor === "function" && ctor.name ? `an instance of ${ctor.name}` : "[object Object]";
    }
    let shown = typeof v === "string" ? `'${v.length > 28 ? slice(v, 0, 25) + "..." : v}'` : StringCtor(v);
    if (typeof v === "bigint") shown += "n";
    return `type ${typeof v} (${shown})`;
  };

  // ---- percent-encode sets (one bit each) and the encoders ----
  const C0 = 1, FRAGMENT_SET = 2, QUERY_SET = 4, SPECIAL_QUERY_SET = 8, PATH_SET = 16, USERINFO = 32;
  const SETS = new U8(128);
  const addSet = (bits, chars) => {
    for (let i = 0; i < chars.length; i++) SETS[charCodeAt(chars, i)] |= bits;
  };
  for (let i = 0; i < 0x20; i++) SETS[i] = 0xff;
  SETS[0x7f] = 0xff;
  addSet(FRAGMENT_SET, ' "<>`');
  addSet(QUERY_SET | SPECIAL_QUERY_SET | PATH_SET | USERINFO, ' "#<>');
  addSet(SPECIAL_QUERY_SET, "'");
  addSet(PATH_SET | USERINFO, "?^`{}");
  addSet(USERINFO, "/:;=@[\\]|");
  // for each set, a pattern that finds a code unit to encode: most strings have none, and a
  // native search is much faster here than a loop over the string in JS
  const NEEDS_ENCODING = [];
  for (const bit of [C0, FRAGMENT_SET, QUERY_SET, SPECIAL_QUERY_SET, PATH_SET, USERINFO]) {
    let members = "";
    for (let i = 0; i < 0x7f; i++) if (SETS[i] & bit) members += "\\u" + (i < 16 ? "000" : "00") + i.toString(16);
    NEEDS_ENCODING[bit] = new RegExpCtor("[" + members + "\\u007f-\\uffff]");
  }
  const HEX = [];
  for (let i = 0; i < 256; i++) push(HEX, "%" + (i < 16 ? "0" : "") + toUpperCase(i.toString(16)));

  // the UTF-8 bytes of one code point, percent-encoded
  const utf8Percent = (cp) => {
    if (cp < 0x80) return HEX[cp];
    if (cp < 0x800) return HEX[0xc0 | (cp >> 6)] + HEX[0x80 | (cp & 63)];
    if (cp < 0x10000) return HEX[0xe0 | (cp >> 12)] + HEX[0x80 | ((cp >> 6) & 63)] + HEX[0x80 | (cp & 63)];
    return HEX[0xf0 | (cp >> 18)] + HEX[0x80 | ((cp >> 12) & 63)] + HEX[0x80 | ((cp >> 6) & 63)] + HEX[0x80 | (cp & 63)];
  };
  const encodeString = (s, set) => {
    if (exec(NEEDS_ENCODING[set], s) === null) return s;
    let out = "";
    let start = 0; // the start of the run of code units that need no encoding
    for (let i = 0; i < s.length; i++) {
      const u = charCodeAt(s, i);
      if (u < 0x80 && !(SETS[u] & set)) continue;
      out += slice(s, start, i);
      const cp = codePointAt(s, i);
      out += utf8Percent(cp);
      if (cp > 0xffff) i++;
      start = i + 1;
    }
    return start === 0 ? s : out + slice(s, start);
  };
  const hexValue = (u) =>
    u >= 0x30 && u <= 0x39 ? u - 0x30 : u >= 0x41 && u <= 0x46 ? u - 55 : u >= 0x61 && u <= 0x66 ? u - 87 : -1;
  // percent-decode(UTF-8 encode(s)), then UTF-8 decode without BOM (a BOM stays U+FEFF)
  const percentDecode = (s) => {
    if (indexOf(s, "%") < 0) return s;
    const bytes = utf8Encode(s);
    const length = byteCount(bytes);
    const out = new U8(length);
    let n = 0;
    for (let i = 0; i < length; i++) {
      const b = bytes[i];
      let hi, lo;
      if (b === 0x25 && i + 2 < length && (hi = hexValue(bytes[i + 1])) >= 0 && (lo = hexValue(bytes[i + 2])) >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
      } else out[n++] = b;
    }
    const decoded = new U8(n);
    for (let i = 0; i < n; i++) decoded[i] = out[i];
    return utf8Decode(decoded, false, false, null)[0];
  };

  // ---- schemes ----
  const SPECIAL = { __proto__: null, ftp: 21, file: null, http: 80, https: 443, ws: 80, wss: 443 };
  const isSpecial = (scheme) => SPECIAL[scheme] !== undefined;
  const hasOpaquePath = (url) => typeof url.path === "string";
  const includesCredentials = (url) => url.username !== "" || url.password !== "";
  const cannotHaveCredentialsOrPort = (url) => url.host === null || url.host === "" || url.scheme === "file";

  // ---- code points ----
  const isAlpha = (c) => c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
  const isDigit = (c) => c !== undefined && c >= "0" && c <= "9";
  const NON_ASCII = /[^\0-\x7f]/;
  const ASCII_UPPER = /[A-Z]/;
  const asciiLower = (s) => {
    if (exec(ASCII_UPPER, s) === null) return s;
    for (let i = 0; i < s.length; i++) {
      const u = charCodeAt(s, i);
      if (u >= 0x41 && u <= 0x5a) {
        let out = slice(s, 0, i);
        for (let j = i; j < s.length; j++) {
          const v = charCodeAt(s, j);
          out += v >= 0x41 && v <= 0x5a ? fromCharCode(v + 32) : s[j];
        }
        return out;
      }
    }
    return s;
  };
  // the code points of a well-formed string, one string each
  const codePoints = (s) => {
    const out = [];
    for (let i = 0; i < s.length; i++) {
      const u = charCodeAt(s, i);
      if (u >= 0xd800 && u <= 0xdbff && i + 1 < s.length) {
        push(out, slice(s, i, i + 2));
        i++;
      } else push(out, s[i]);
    }
    return out;
  };
  // the input loses its leading and trailing C0 controls and spaces, then every tab and newline
  const trimControlAndSpace = (s) => {
    let start = 0, end = s.length;
    while (start < end && charCodeAt(s, start) <= 0x20) start++;
    while (end > start && charCodeAt(s, end - 1) <= 0x20) end--;
    return start === 0 && end === s.length ? s : slice(s, start, end);
  };
  const TAB_OR_NEWLINE = /[\t\n\r]/;
  const removeTabAndNewline = (s) => {
    if (exec(TAB_OR_NEWLINE, s) === null) return s;
    let out = "";
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const u = charCodeAt(s, i);
      if (u === 0x09 || u === 0x0a || u === 0x0d) {
        out += slice(s, start, i);
        start = i + 1;
      }
    }
    return start === 0 ? s : out + slice(s, start);
  };
  // the index of the first of the characters in chars at or after start, or the length of s
  const firstOf = (s, start, chars) => {
    let end = s.length;
    for (let i = 0; i < chars.length; i++) {
      const at = indexOf(s, chars[i], start);
      if (at >= 0 && at < end) end = at;
    }
    return end;
  };
  const isWindowsDriveLetter = (s) => s.length === 2 && isAlpha(s[0]) && (s[1] === ":" || s[1] === "|");
  const isNormalizedWindowsDriveLetter = (s) => s.length === 2 && isAlpha(s[0]) && s[1] === ":";
  const startsWithWindowsDriveLetter = (s, pointer) => {
    const length = s.length - pointer;
    if (length < 2 || !isAlpha(s[pointer]) || (s[pointer + 1] !== ":" && s[pointer + 1] !== "|")) return false;
    const third = s[pointer + 2];
    return length === 2 || third === "/" || third === "\\" || third === "?" || third === "#";
  };
  const isSingleDot = (s) => s === "." || (s.length === 3 && asciiLower(s) === "%2e");
  const isDoubleDot = (s) => {
    if (s === "..") return true;
    const l = asciiLower(s);
    return l === ".%2e" || l === "%2e." || l === "%2e%2e";
  };

  // ---- hosts ----
  // the forbidden host code points, and for a domain also C0 controls, % and DEL
  const FORBIDDEN_HOST = /[\0\t\n\r #/:<>?@[\\\]^|]/;
  const FORBIDDEN_DOMAIN = /[\0-\x1f #/:<>?@[\\\]^|%\x7f]/;
  const hasForbidden = (s, domain) => exec(domain ? FORBIDDEN_DOMAIN : FORBIDDEN_HOST, s) !== null;
  const splitDots = (s) => {
    const parts = [];
    let start = 0;
    for (;;) {
      const dot = indexOf(s, ".", start);
      if (dot < 0) break;
      push(parts, slice(s, start, dot));
      start = dot + 1;
    }
    push(parts, slice(s, start));
    return parts;
  };
  // an IPv4 number: decimal, octal after a 0, hex after 0x; null when it is not one
  const parseIPv4Number = (s) => {
    if (s === "") return null;
    let radix = 10, start = 0;
    if (s.length >= 2 && s[0] === "0" && (s[1] === "x" || s[1] === "X")) {
      radix = 16;
      start = 2;
    } else if (s.length >= 2 && s[0] === "0") {
      radix = 8;
      start = 1;
    }
    let value = 0;
    for (let i = start; i < s.length; i++) {
      const d = hexValue(charCodeAt(s, i));
      if (d < 0 || d >= radix) return null;
      value = value * radix + d;
    }
    return value;
  };
  const endsInANumber = (s) => {
    const parts = splitDots(s);
    let last = parts[parts.length - 1];
    if (last === "") {
      if (parts.length === 1) return false;
      last = parts[parts.length - 2];
    }
    if (last !== "") {
      let digits = true;
      for (let i = 0; i < last.length && digits; i++) digits = isDigit(last[i]);
      if (digits) return true;
    }
    return parseIPv4Number(last) !== null;
  };
  const parseIPv4 = (s) => {
    const parts = splitDots(s);
    if (parts[parts.length - 1] === "" && parts.length > 1) parts.length--;
    if (parts.length > 4) return null;
    const numbers = [];
    for (let i = 0; i < parts.length; i++) {
      const n = parseIPv4Number(parts[i]);
      if (n === null) return null;
      push(numbers, n);
    }
    const last = numbers.length - 1;
    for (let i = 0; i < last; i++) if (numbers[i] > 255) return null;
    if (numbers[last] >= 256 ** (4 - last)) return null;
    let ipv4 = numbers[last];
    for (let i = 0; i < last; i++) ipv4 += numbers[i] * 256 ** (3 - i);
    return ipv4;
  };
  const serializeIPv4 = (n) => {
    let out = "";
    for (let i = 0; i < 4; i++) {
      out = (i < 3 ? "." : "") + (n % 256) + out;
      n = floor(n / 256);
    }
    return out;
  };
  const parseIPv6 = (s) => {
    const address = [0, 0, 0, 0, 0, 0, 0, 0];
    let pieceIndex = 0, compress = null, pointer = 0;
    const at = (i) => (i < s.length ? charCodeAt(s, i) : -1);
    if (at(0) === 0x3a) {
      if (at(1) !== 0x3a) return null;
      pointer += 2;
      pieceIndex++;
      compress = pieceIndex;
    }
    while (at(pointer) !== -1) {
      if (pieceIndex === 8) return null;
      if (at(pointer) === 0x3a) {
        if (compress !== null) return null;
        pointer++;
        pieceIndex++;
        compress = pieceIndex;
        continue;
      }
      let value = 0, length = 0;
      while (length < 4 && hexValue(at(pointer)) >= 0) {
        value = value * 16 + hexValue(at(pointer));
        pointer++;
        length++;
      }
      if (at(pointer) === 0x2e) {
        if (length === 0) return null;
        pointer -= length;
        if (pieceIndex > 6) return null;
        let numbersSeen = 0;
        while (at(pointer) !== -1) {
          let ipv4Piece = null;
          if (numbersSeen > 0) {
            if (at(pointer) === 0x2e && numbersSeen < 4) pointer++;
            else return null;
          }
          if (!(at(pointer) >= 0x30 && at(pointer) <= 0x39)) return null;
          while (at(pointer) >= 0x30 && at(pointer) <= 0x39) {
            const number = at(pointer) - 0x30;
            if (ipv4Piece === null) ipv4Piece = number;
            else if (ipv4Piece === 0) return null;
            else ipv4Piece = ipv4Piece * 10 + number;
            if (ipv4Piece > 255) return null;
            pointer++;
          }
          address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
          numbersSeen++;
          if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
        }
        if (numbersSeen !== 4) return null;
        break;
      } else if (at(pointer) === 0x3a) {
        pointer++;
        if (at(pointer) === -1) return null;
      } else if (at(pointer) !== -1) return null;
      address[pieceIndex] = value;
      pieceIndex++;
    }
    if (compress !== null) {
      let swaps = pieceIndex - compress;
      pieceIndex = 7;
      while (pieceIndex !== 0 && swaps > 0) {
        const t = address[pieceIndex];
        address[pieceIndex] = address[compress + swaps - 1];
        address[compress + swaps - 1] = t;
        pieceIndex--;
        swaps--;
      }
    } else if (pieceIndex !== 8) return null;
    return address;
  };
  const serializeIPv6 = (address) => {
    // the first longest run of two or more zero pieces becomes "::"
    let compress = -1, best = 1;
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && address[j] === 0) j++;
      if (j - i > best) {
        best = j - i;
        compress = i;
      }
      i = j === i ? i + 1 : j;
    }
    let out = "";
    for (let i = 0; i < 8; i++) {
      if (i === compress) {
        out += i === 0 ? "::" : ":";
        i += best - 1;
        continue;
      }
      out += address[i].toString(16);
      if (i !== 7) out += ":";
    }
    return out;
  };
  const parseOpaqueHost = (s) => (hasForbidden(s, false) ? null : encodeString(s, C0));
  // the host parser: a serialized host, or null for failure
  const parseHost = (input, isOpaque) => {
    if (input[0] === "[") {
      if (input[input.length - 1] !== "]") return null;
      const address = parseIPv6(slice(input, 1, input.length - 1));
      return address === null ? null : "[" + serializeIPv6(address) + "]";
    }
    if (isOpaque) return parseOpaqueHost(input);
    const ascii = domainToASCII(percentDecode(input));
    if (ascii === null || ascii === "" || hasForbidden(ascii, true)) return null;
    if (endsInANumber(ascii)) {
      const ipv4 = parseIPv4(ascii);
      return ipv4 === null ? null : serializeIPv4(ipv4);
    }
    return ascii;
  };

  // ---- domain to ASCII: UTS #46 ToASCII with the URL Standard's options (CheckHyphens
  // false, CheckBidi and CheckJoiners true, nontransitional, UseSTD3ASCIIRules and
  // VerifyDnsLength false). An ASCII domain is only lowercased, as the standard has it. ----
  const domainToASCII = (domain) => {
    if (exec(NON_ASCII, domain) === null) return asciiLower(domain);
    const mapped = idnaMap(domain);
    if (mapped === null) return null;
    const labels = splitDots(normalize(mapped, "NFC"));
    const unicode = [];
    for (let i = 0; i < labels.length; i++) {
      let label = labels[i];
      if (asciiLower(slice(label, 0, 4)) === "xn--") {
        label = punycodeDecode(slice(label, 4));
        if (label === null || label === "" || !validLabel(label, true)) return null;
        let allASCII = true;
        for (let j = 0; j < label.length && allASCII; j++) allASCII = charCodeAt(label, j) < 0x80;
        if (allASCII) return null;
      } else if (!validLabel(label, false)) return null;
      push(unicode, label);
    }
    if (!checkBidi(unicode)) return null;
    let out = "";
    for (let i = 0; i < unicode.length; i++) {
      const label = unicode[i];
      let allASCII = true;
      for (let j = 0; j < label.length && allASCII; j++) allASCII = charCodeAt(label, j) < 0x80;
      out += (i > 0 ? "." : "") + (allASCII ? label : "xn--" + punycodeEncode(label));
    }
    return out;
  };

  // The Unicode classes the IDNA steps need, compiled on first use (most programs never parse
  // a non-ASCII domain, and the engine evaluates this file at every start)
  // the scripts written right to left (Bidi_Class R), those of Arabic letters (AL), and the
  // ones whose letters join (Joining_Type D or R), as regular-expression classes
  const scripts = (names) => names.split(" ").map((n) => `\\p{Script=${n}}`).join("");
  const RTL_SCRIPTS = scripts("Hebrew Samaritan Mandaic Nko Adlam Mende_Kikakui Cypriot Phoenician Kharoshthi " +
    "Old_South_Arabian Old_North_Arabian Avestan Imperial_Aramaic Inscriptional_Parthian " +
    "Inscriptional_Pahlavi Old_Turkic Lydian Meroitic_Cursive Meroitic_Hieroglyphs Nabataean Palmyrene " +
    "Hatran Manichaean Psalter_Pahlavi Old_Hungarian Old_Sogdian Elymaic Chorasmian Yezidi");
  const ARABIC_LETTER_SCRIPTS = scripts("Arabic Syriac Thaana Hanifi_Rohingya Sogdian");
  const JOINING_SCRIPTS = scripts("Arabic Syriac Nko Mongolian Mandaic Manichaean Psalter_Pahlavi Adlam " +
    "Hanifi_Rohingya Sogdian Phags_Pa Chorasmian Old_Uyghur");
  let idna = null;
  const idnaData = () => {
    if (idna !== null) return idna;
    const re = (source) => new RegExpCtor(source, "u");
    idna = {
      // removed by the mapping: the default-ignorable code points that are not bidi controls or
      // tags (soft hyphen, zero width space, word joiner, variation selectors, Hangul fillers…)
      ignored: re("^[\\u00AD\\u034F\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B\\u2060-\\u2064" +
        "\\u206A-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\u{1BCA0}-\\u{1BCA3}\\u{1D173}-\\u{1D17A}" +
        "\\u{E0100}-\\u{E01EF}]$"),
      // controls, other format characters, surrogates, private use, unassigned, spaces, line and
      // paragraph separators, the Mongolian todo soft hyphen, the ideographic description
      // characters, U+FFFC and U+FFFD
      disallowed: re("^[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\p{Zs}\\p{Zl}\\p{Zp}\\u1806\\u2FF0-\\u2FFF\\uFFFC\\uFFFD]$"),
      mark: re("^\\p{M}"),
      nsm: re("^[\\p{Mn}\\p{Me}]$"),
      rtl: re(`^[${RTL_SCRIPTS}]$`),
      arabicLetter: re(`^[${ARABIC_LETTER_SCRIPTS}]$`),
      arabicNumber: re("^[\\u0600-\\u0605\\u0660-\\u0669\\u066B\\u066C\\u06DD\\u0890\\u0891\\u08E2" +
        "\\u{10D30}-\\u{10D39}\\u{10E60}-\\u{10E7E}]$"),
      europeanNumber: re("^[0-9\\u00B2\\u00B3\\u00B9\\u06F0-\\u06F9\\u2070\\u2074-\\u2079\\u2080-\\u2089" +
        "\\uFF10-\\uFF19]$"),
      // characters of class AL or R that the scripts below leave out: punctuation and symbols of
      // those scripts (most are ON), tatweel and the Siyaq numbers (in Common)
      arabicLetterOther: re("^[\\u0608\\u060B\\u060D\\u061B\\u061D-\\u061F\\u0640\\u066D\\u06D4\\u06FD\\u06FE" +
        "\\u0700-\\u070D\\uFBB2-\\uFBC2\\uFDFC\\u{10F55}-\\u{10F59}\\u{1EC71}-\\u{1ECB4}\\u{1ED01}-\\u{1ED3D}]$"),
      rtlOther: re("^[\\u05BE\\u05C0\\u05C3\\u05C6\\u05F3\\u05F4\\u07FE\\u07FF\\u0830-\\u083E\\u085E\\u{10857}" +
        "\\u{10877}\\u{10878}\\u{1093F}\\u{10A50}-\\u{10A58}\\u{10A7F}\\u{10AC8}\\u{10AF0}-\\u{10AF6}" +
        "\\u{10B99}-\\u{10B9C}\\u{10EAD}\\u{10F86}-\\u{10F89}\\u{1E95E}\\u{1E95F}]$"),
      europeanTerminator: re("^[\\p{Sc}#%\\u00B0\\u00B1\\u066A\\u2030-\\u2034]$"),
      commonSeparator: re("^[,./:\\u060C\\u00A0\\u202F\\u2044\\uFE50\\uFE52\\uFE55\\uFF0C\\uFF0E\\uFF0F\\uFF1A]$"),
      otherNeutral: re("^[\\p{P}\\p{S}]$"),
      joiningLetter: re(`^(?=\\p{L})[${JOINING_SCRIPTS}]$`),
      // right-joining letters (Joining_Type R) and non-joining ones (U) among those scripts
      rightJoining: re("^[\\u0622-\\u0625\\u0627\\u0629\\u062F-\\u0632\\u0648\\u0671-\\u0673\\u0675-\\u0677" +
        "\\u0688-\\u0699\\u06C0\\u06C3-\\u06CB\\u06CD\\u06CF\\u06D2\\u06D3\\u06D5\\u06EE\\u06EF\\u0759-\\u075B" +
        "\\u076B\\u076C\\u0771\\u0773\\u0774\\u0778\\u0779\\u0870-\\u0882\\u08AA-\\u08AC\\u08AE\\u08B1\\u08B2" +
        "\\u08B9\\u0710\\u0715-\\u0719\\u071E\\u0728\\u072A\\u072C\\u072F\\u074D]$"),
      nonJoining: re("^[\\u0621\\u0674\\u0883-\\u0885\\u180A\\u1807]$"),
      transparent: re("^[\\p{Mn}\\p{Me}\\p{Cf}]$"),
      // characters of canonical combining class 9 (virama)
      virama: re("^[\\u094D\\u09CD\\u0A4D\\u0ACD\\u0B4D\\u0BCD\\u0C4D\\u0CCD\\u0D3B\\u0D3C\\u0D4D\\u0DCA" +
        "\\u0E3A\\u0EBA\\u0F84\\u1039\\u103A\\u1714\\u1715\\u1734\\u17D2\\u1A60\\u1B44\\u1BAA\\u1BAB\\u1BF2" +
        "\\u1BF3\\u2D7F\\uA806\\uA82C\\uA8C4\\uA953\\uA9C0\\uAAF6\\uABED\\u{10A3F}\\u{11046}\\u{11070}" +
        "\\u{1107F}\\u{110B9}\\u{11133}\\u{11134}\\u{111C0}\\u{11235}\\u{112EA}\\u{1134D}\\u{11442}\\u{114C2}" +
        "\\u{115BF}\\u{1163F}\\u{116B6}\\u{1172B}\\u{11839}\\u{1193D}\\u{1193E}\\u{119E0}\\u{11A34}\\u{11A47}" +
        "\\u{11A99}\\u{11C3F}\\u{11D44}\\u{11D45}\\u{11D97}\\u{11F41}\\u{11F42}]$"),
    };
    return idna;
  };
  const test = (re, c) => exec(re, c) !== null;

  // the case folds of the Cyrillic letter variants U+1C80..U+1C88 (their lowercase is themselves)
  const CYRILLIC_VARIANTS = ["\u0432", "\u0434", "\u043e", "\u0441", "\u0442", "\u0442", "\u044a", "\u0463", "\ua64b"];
  // UTS #46's mapping of one code point: a string (empty when ignored), or null when disallowed.
  // Case folding is lowercasing plus the folds that differ from it (Cherokee folds to its
  // capitals, the Cyrillic variants, iota subscripts), the compatibility mappings are NFKC.
  const idnaMapCodePoint = (c) => {
    const cp = codePointAt(c, 0);
    if (cp < 0x80) return asciiLower(c);
    if (cp === 0x200c || cp === 0x200d) return c; // deviations, kept by nontransitional processing
    if (cp === 0x3002 || cp === 0xff0e || cp === 0xff61) return ".";
    const d = idnaData();
    if (test(d.ignored, c)) return "";
    if (test(d.disallowed, c)) return null;
    if ((cp >= 0x13a0 && cp <= 0x13f5) || cp === 0x03c2 || cp === 0xdf) return c;
    if ((cp >= 0x13f8 && cp <= 0x13fd) || (cp >= 0xab70 && cp <= 0xabbf)) return toUpperCase(c);
    if (cp >= 0x1c80 && cp <= 0x1c88) return CYRILLIC_VARIANTS[cp - 0x1c80];
    let folded = normalize(toLowerCase(c), "NFKC");
    // U+0345 (and the Greek letters with it as iota subscript) fold to a full iota
    const decomposed = normalize(folded, "NFD");
    if (indexOf(decomposed, "\u0345") >= 0) {
      let iota = "";
      for (let i = 0; i < decomposed.length; i++) iota += decomposed[i] === "\u0345" ? "\u03b9" : decomposed[i];
      folded = normalize(iota, "NFKC");
    }
    let out = "";
    const cps = codePoints(folded);
    for (let i = 0; i < cps.length; i++) {
      const m = cps[i];
      // a mapping that brings a full stop in (U+2488 "1.", U+2025 "..", U+FE12 "。") is disallowed
      if (m === "." || m === "\u3002" || m === "\uff0e" || m === "\uff61") return null;
      const u = codePointAt(m, 0);
      // final sigma is kept only as itself (a deviation); U+03F2 and the math sigmas fold to σ
      if (u === 0x3c2) out += "\u03c3";
      else out += (u >= 0x13a0 && u <= 0x13f5) || (u >= 0x13f8 && u <= 0x13fd) ? m : toLowerCase(m);
    }
    return out;
  };
  const idnaMap = (domain) => {
    let out = "";
    const cps = codePoints(domain);
    for (let i = 0; i < cps.length; i++) {
      const m = idnaMapCodePoint(cps[i]);
      if (m === null) return null;
      out += m;
    }
    return out;
  };
  // UTS #46's validity criteria for a label (CheckHyphens false), CheckJoiners included;
  // a label that came from punycode must also be one the mapping leaves as it is
  const validLabel = (label, fromPunycode) => {
    if (label === "") return true;
    if (normalize(label, "NFC") !== label) return false;
    if (asciiLower(slice(label, 0, 4)) === "xn--") return false;
    const d = idnaData();
    if (test(d.mark, label)) return false;
    const cps = codePoints(label);
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i];
      if (fromPunycode && (idnaMapCodePoint(c) !== c || c === ".")) return false;
      if (c === "\u200d" && !(i > 0 && test(d.virama, cps[i - 1]))) return false;
      if (c === "\u200c" && !(i > 0 && test(d.virama, cps[i - 1])) && !joinerContext(cps, i)) return false;
    }
    return true;
  };
  // RFC 5892 appendix A.1: (Joining_Type L or D) (T)* ZWNJ (T)* (R or D)
  const joiningType = (c) => {
    const d = idnaData();
    if (test(d.transparent, c) && c !== "\u200c" && c !== "\u200d") return "T";
    if (!test(d.joiningLetter, c) || test(d.nonJoining, c)) return "U";
    return test(d.rightJoining, c) ? "R" : "D";
  };
  const joinerContext = (cps, at) => {
    let i = at - 1;
    while (i >= 0 && joiningType(cps[i]) === "T") i--;
    if (i < 0 || joiningType(cps[i]) !== "D") return false;
    let j = at + 1;
    while (j < cps.length && joiningType(cps[j]) === "T") j++;
    if (j >= cps.length) return false;
    const t = joiningType(cps[j]);
    return t === "R" || t === "D";
  };
  // the Bidi_Class of a code point, as far as RFC 5893 needs it
  const bidiClass = (c) => {
    const u = codePointAt(c, 0);
    const d = idnaData();
    if (u === 0x200c || u === 0x200d) return "BN";
    if (u < 0x80) {
      if (u >= 0x30 && u <= 0x39) return "EN";
      if (u === 0x2b || u === 0x2d) return "ES";
      if (u === 0x2c || u === 0x2e || u === 0x2f || u === 0x3a) return "CS";
      if (u === 0x23 || u === 0x24 || u === 0x25) return "ET";
      if ((u >= 0x41 && u <= 0x5a) || (u >= 0x61 && u <= 0x7a)) return "L";
      if (u <= 0x20 || u === 0x7f) return "WS";
      return "ON";
    }
    if (test(d.nsm, c)) return "NSM";
    if (test(d.arabicNumber, c)) return "AN";
    if (test(d.europeanNumber, c)) return "EN";
    if (test(d.commonSeparator, c)) return "CS";
    if (test(d.arabicLetterOther, c)) return "AL";
    if (test(d.rtlOther, c)) return "R";
    if (test(d.europeanTerminator, c)) return "ET";
    if (test(d.otherNeutral, c)) return "ON";
    // letters and numbers take their script's direction
    if (test(d.arabicLetter, c)) return "AL";
    if (test(d.rtl, c)) return "R";
    return "L";
  };
  // RFC 5893 section 2, for every label of a domain that has a right-to-left one
  const checkBidi = (labels) => {
    const classes = [];
    let bidiDomain = false;
    for (let i = 0; i < labels.length; i++) {
      const cps = codePoints(labels[i]);
      const cls = [];
      for (let j = 0; j < cps.length; j++) {
        const b = bidiClass(cps[j]);
        if (b === "R" || b === "AL" || b === "AN") bidiDomain = true;
        push(cls, b);
      }
      push(classes, cls);
    }
    if (!bidiDomain) return true;
    const RTL_ALLOWED = "R AL AN EN ES CS ET ON BN NSM ";
    const LTR_ALLOWED = "L EN ES CS ET ON BN NSM ";
    for (let i = 0; i < classes.length; i++) {
      const cls = classes[i];
      if (cls.length === 0) continue;
      const rtl = cls[0] === "R" || cls[0] === "AL";
      if (!rtl && cls[0] !== "L") return false;
      let en = false, an = false;
      for (let j = 0; j < cls.length; j++) {
        if (indexOf(rtl ? RTL_ALLOWED : LTR_ALLOWED, cls[j] + " ") < 0) return false;
        if (cls[j] === "EN") en = true;
        if (cls[j] === "AN") an = true;
      }
      let end = cls.length - 1;
      while (end > 0 && cls[end] === "NSM") end--;
      const last = cls[end];
      if (rtl ? !(last === "R" || last === "AL" || last === "EN" || last === "AN") || (en && an)
        : !(last === "L" || last === "EN")) return false;
    }
    return true;
  };

  // ---- punycode (RFC 3492) ----
  const BASE = 36, T_MIN = 1, T_MAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 128;
  const MAX_INT = 0x7fffffff;
  const adapt = (delta, numPoints, first) => {
    delta = first ? floor(delta / DAMP) : floor(delta / 2);
    delta += floor(delta / numPoints);
    let k = 0;
    while (delta > ((BASE - T_MIN) * T_MAX) / 2) {
      delta = floor(delta / (BASE - T_MIN));
      k += BASE;
    }
    return k + floor(((BASE - T_MIN + 1) * delta) / (delta + SKEW));
  };
  const threshold = (k, bias) => (k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias);
  const digitChar = (d) => fromCharCode(d < 26 ? 0x61 + d : 0x16 + d);
  const punycodeEncode = (label) => {
    const cps = [];
    const chars = codePoints(label);
    for (let i = 0; i < chars.length; i++) push(cps, codePointAt(chars[i], 0));
    let out = "";
    for (let i = 0; i < cps.length; i++) if (cps[i] < 0x80) out += fromCharCode(cps[i]);
    const basic = out.length;
    let handled = basic;
    if (basic > 0) out += "-";
    let n = INITIAL_N, delta = 0, bias = INITIAL_BIAS;
    while (handled < cps.length) {
      let m = 0x110000;
      for (let i = 0; i < cps.length; i++) if (cps[i] >= n && cps[i] < m) m = cps[i];
      delta += (m - n) * (handled + 1);
      n = m;
      for (let i = 0; i < cps.length; i++) {
        if (cps[i] < n) delta++;
        if (cps[i] === n) {
          let q = delta;
          for (let k = BASE; ; k += BASE) {
            const t = threshold(k, bias);
            if (q < t) break;
            out += digitChar(t + ((q - t) % (BASE - t)));
            q = floor((q - t) / (BASE - t));
          }
          out += digitChar(q);
          bias = adapt(delta, handled + 1, handled === basic);
          delta = 0;
          handled++;
        }
      }
      delta++;
      n++;
    }
    return out;
  };
  // the label a punycode string stands for, or null when it is not valid punycode
  const punycodeDecode = (input) => {
    for (let i = 0; i < input.length; i++) if (charCodeAt(input, i) >= 0x80) return null;
    const output = [];
    const dash = lastIndexOf(input, "-");
    const basicEnd = dash < 0 ? 0 : dash;
    for (let i = 0; i < basicEnd; i++) push(output, charCodeAt(input, i));
    let n = INITIAL_N, i = 0, bias = INITIAL_BIAS;
    for (let pos = dash < 0 ? 0 : dash + 1; pos < input.length; ) {
      const oldi = i;
      let w = 1;
      for (let k = BASE; ; k += BASE) {
        if (pos >= input.length) return null;
        const u = charCodeAt(input, pos++);
        const digit = u >= 0x30 && u <= 0x39 ? u - 22 : u >= 0x41 && u <= 0x5a ? u - 0x41 : u >= 0x61 && u <= 0x7a ? u - 0x61 : -1;
        if (digit < 0 || digit > floor((MAX_INT - i) / w)) return null;
        i += digit * w;
        const t = threshold(k, bias);
        if (digit < t) break;
        if (w > floor(MAX_INT / (BASE - t))) return null;
        w *= BASE - t;
      }
      const length = output.length + 1;
      bias = adapt(i - oldi, length, oldi === 0);
      if (floor(i / length) > MAX_INT - n) return null;
      n += floor(i / length);
      i %= length;
      if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) || n < 0x80) return null;
      for (let j = output.length; j > i; j--) output[j] = output[j - 1];
      output[i] = n;
      i++;
    }
    let out = "";
    for (let j = 0; j < output.length; j++) out += fromCodePoint(output[j]);
    return out;
  };

  // ---- the basic URL parser ----
  const SCHEME_START = 1, SCHEME = 2, NO_SCHEME = 3, SPECIAL_RELATIVE_OR_AUTHORITY = 4, PATH_OR_AUTHORITY = 5,
    RELATIVE = 6, RELATIVE_SLASH = 7, SPECIAL_AUTHORITY_SLASHES = 8, SPECIAL_AUTHORITY_IGNORE_SLASHES = 9,
    AUTHORITY = 10, HOST = 11, HOSTNAME = 12, PORT = 13, FILE = 14, FILE_SLASH = 15, FILE_HOST = 16,
    PATH_START = 17, PATH = 18, OPAQUE_PATH = 19, QUERY = 20, FRAGMENT = 21;

  // a URL record: host is the serialized host (null when there is none), path a list of
  // segments, or a string for an opaque path
  const newRecord = () => ({
    scheme: "", username: "", password: "", host: null, port: null, path: [], query: null, fragment: null,
  });
  const copyPath = (path) => {
    if (typeof path === "string") return path;
    const out = [];
    for (let i = 0; i < path.length; i++) push(out, path[i]);
    return out;
  };
  const shortenPath = (url) => {
    const path = url.path;
    if (url.scheme === "file" && path.length === 1 && isNormalizedWindowsDriveLetter(path[0])) return;
    if (path.length > 0) path.length--;
  };

  const NOT_SCHEME = /[^a-zA-Z0-9+.-]/g; // where a scheme's run of characters ends
  // The standard's basic URL parser: a new record, or url changed in place when a state
  // override is given (the setters); null for failure. It walks code units, not code points:
  // every character the states look for is ASCII, and the states that percent-encode take a
  // run of code units at a time (encodeString reads the surrogate pairs in it).
  const parse = (input, base, url = null, override = 0) => {
    if (url === null) {
      url = newRecord();
      input = trimControlAndSpace(input);
    }
    const s = removeTabAndNewline(input);
    const length = s.length;
    let state = override || SCHEME_START;
    let buffer = "";
    let atSignSeen = false, insideBrackets = false, passwordTokenSeen = false;
    for (let pointer = 0; ; pointer++) {
      const c = s[pointer]; // undefined at the end (the standard's EOF code point)
      const special = isSpecial(url.scheme);
      switch (state) {
        case SCHEME_START:
          if (isAlpha(c)) {
            buffer += asciiLower(c);
            state = SCHEME;
          } else if (!override) {
            state = NO_SCHEME;
            pointer--;
          } else return null;
          break;
        case SCHEME:
          if (isAlpha(c) || isDigit(c) || c === "+" || c === "-" || c === ".") {
            NOT_SCHEME.lastIndex = pointer; // the rest of the run at once
            const end = exec(NOT_SCHEME, s);
            buffer += asciiLower(slice(s, pointer, end === null ? length : end.index));
            pointer = (end === null ? length : end.index) - 1;
          } else if (c === ":") {
            if (override) {
              if (special !== isSpecial(buffer)) return url;
              if ((includesCredentials(url) || url.port !== null) && buffer === "file") return url;
              if (url.scheme === "file" && url.host === "") return url;
            }
            url.scheme = buffer;
            if (override) {
              if (url.port === SPECIAL[url.scheme]) url.port = null;
              return url;
            }
            buffer = "";
            if (url.scheme === "file") state = FILE;
            else if (isSpecial(url.scheme) && base !== null && base.scheme === url.scheme)
              state = SPECIAL_RELATIVE_OR_AUTHORITY;
            else if (isSpecial(url.scheme)) state = SPECIAL_AUTHORITY_SLASHES;
            else if (s[pointer + 1] === "/") {
              state = PATH_OR_AUTHORITY;
              pointer++;
            } else {
              url.path = "";
              state = OPAQUE_PATH;
            }
          } else if (!override) {
            buffer = "";
            state = NO_SCHEME;
            pointer = -1;
          } else return null;
          break;
        case NO_SCHEME:
          if (base === null || (hasOpaquePath(base) && c !== "#")) return null;
          if (hasOpaquePath(base)) {
            url.scheme = base.scheme;
            url.path = base.path;
            url.query = base.query;
            url.fragment = "";
            state = FRAGMENT;
          } else {
            state = base.scheme === "file" ? FILE : RELATIVE;
            pointer--;
          }
          break;
        case SPECIAL_RELATIVE_OR_AUTHORITY:
          if (c === "/" && s[pointer + 1] === "/") {
            state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
            pointer++;
          } else {
            state = RELATIVE;
            pointer--;
          }
          break;
        case PATH_OR_AUTHORITY:
          if (c === "/") state = AUTHORITY;
          else {
            state = PATH;
            pointer--;
          }
          break;
        case RELATIVE:
          url.scheme = base.scheme;
          if (c === "/" || (isSpecial(url.scheme) && c === "\\")) state = RELATIVE_SLASH;
          else {
            url.username = base.username;
            url.password = base.password;
            url.host = base.host;
            url.port = base.port;
            url.path = copyPath(base.path);
            url.query = base.query;
            if (c === "?") {
              url.query = "";
              state = QUERY;
            } else if (c === "#") {
              url.fragment = "";
              state = FRAGMENT;
            } else if (c !== undefined) {
              url.query = null;
              shortenPath(url);
              state = PATH;
              pointer--;
            }
          }
          break;
        case RELATIVE_SLASH:
          if (special && (c === "/" || c === "\\")) state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          else if (c === "/") state = AUTHORITY;
          else {
            url.username = base.username;
            url.password = base.password;
            url.host = base.host;
            url.port = base.port;
            state = PATH;
            pointer--;
          }
          break;
        case SPECIAL_AUTHORITY_SLASHES:
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          if (c === "/" && s[pointer + 1] === "/") pointer++;
          else pointer--;
          break;
        case SPECIAL_AUTHORITY_IGNORE_SLASHES:
          if (c !== "/" && c !== "\\") {
            state = AUTHORITY;
            pointer--;
          }
          break;
        case AUTHORITY:
          if (c === "@") {
            if (atSignSeen) buffer = "%40" + buffer;
            atSignSeen = true;
            // the first ":" ever seen splits the username from the password
            const colon = passwordTokenSeen ? -1 : indexOf(buffer, ":");
            if (colon >= 0) {
              passwordTokenSeen = true;
              url.username += encodeString(slice(buffer, 0, colon), USERINFO);
              url.password += encodeString(slice(buffer, colon + 1), USERINFO);
            } else if (passwordTokenSeen) url.password += encodeString(buffer, USERINFO);
            else url.username += encodeString(buffer, USERINFO);
            buffer = "";
          } else if (c === undefined || c === "/" || c === "?" || c === "#" || (special && c === "\\")) {
            if (atSignSeen && buffer === "") return null;
            pointer -= buffer.length + 1;
            buffer = "";
            state = HOST;
          } else {
            const end = firstOf(s, pointer, special ? "@/?#\\" : "@/?#");
            buffer += slice(s, pointer, end);
            pointer = end - 1;
          }
          break;
        case HOST:
        case HOSTNAME:
          if (override && url.scheme === "file") {
            pointer--;
            state = FILE_HOST;
          } else if (c === ":" && !insideBrackets) {
            if (buffer === "" || override === HOSTNAME) return null;
            const host = parseHost(buffer, !special);
            if (host === null) return null;
            url.host = host;
            buffer = "";
            state = PORT;
          } else if (c === undefined || c === "/" || c === "?" || c === "#" || (special && c === "\\")) {
            pointer--;
            if (special && buffer === "") return null;
            if (override && buffer === "" && (includesCredentials(url) || url.port !== null)) return null;
            const host = parseHost(buffer, !special);
            if (host === null) return null;
            url.host = host;
            buffer = "";
            state = PATH_START;
            if (override) return url;
          } else {
            if (c === "[") insideBrackets = true;
            if (c === "]") insideBrackets = false;
            const end = firstOf(s, pointer + 1, special ? ":/?#[]\\" : ":/?#[]");
            buffer += slice(s, pointer, end);
            pointer = end - 1;
          }
          break;
        case PORT:
          if (isDigit(c)) buffer += c;
          else if (c === undefined || c === "/" || c === "?" || c === "#" || (special && c === "\\") || override) {
            if (buffer !== "") {
              let port = 0;
              for (let i = 0; i < buffer.length && port <= 65535; i++) port = port * 10 + (charCodeAt(buffer, i) - 0x30);
              if (port > 65535) return null;
              url.port = port === SPECIAL[url.scheme] ? null : port;
              buffer = "";
              if (override) return url;
            }
            if (override) return null;
            state = PATH_START;
            pointer--;
          } else return null;
          break;
        case FILE:
          url.scheme = "file";
          url.host = "";
          if (c === "/" || c === "\\") state = FILE_SLASH;
          else if (base !== null && base.scheme === "file") {
            url.host = base.host;
            url.path = copyPath(base.path);
            url.query = base.query;
            if (c === "?") {
              url.query = "";
              state = QUERY;
            } else if (c === "#") {
              url.fragment = "";
              state = FRAGMENT;
            } else if (c !== undefined) {
              url.query = null;
              if (!startsWithWindowsDriveLetter(s, pointer)) shortenPath(url);
              else url.path = [];
              state = PATH;
              pointer--;
            }
          } else {
            state = PATH;
            pointer--;
          }
          break;
        case FILE_SLASH:
          if (c === "/" || c === "\\") state = FILE_HOST;
          else {
            if (base !== null && base.scheme === "file") {
              url.host = base.host;
              if (!startsWithWindowsDriveLetter(s, pointer) && base.path.length > 0 &&
                isNormalizedWindowsDriveLetter(base.path[0])) push(url.path, base.path[0]);
            }
            state = PATH;
            pointer--;
          }
          break;
        case FILE_HOST:
          if (c === undefined || c === "/" || c === "\\" || c === "?" || c === "#") {
            pointer--;
            if (!override && isWindowsDriveLetter(buffer)) state = PATH;
            else if (buffer === "") {
              url.host = "";
              if (override) return url;
              state = PATH_START;
            } else {
              let host = parseHost(buffer, false);
              if (host === null) return null;
              if (host === "localhost") host = "";
              url.host = host;
              if (override) return url;
              buffer = "";
              state = PATH_START;
            }
          } else buffer += c;
          break;
        case PATH_START:
          if (special) {
            state = PATH;
            if (c !== "/" && c !== "\\") pointer--;
          } else if (!override && c === "?") {
            url.query = "";
            state = QUERY;
          } else if (!override && c === "#") {
            url.fragment = "";
            state = FRAGMENT;
          } else if (c !== undefined) {
            state = PATH;
            if (c !== "/") pointer--;
          } else if (override && url.host === null) push(url.path, "");
          break;
        case PATH:
          if (c === undefined || c === "/" || (special && c === "\\") || (!override && (c === "?" || c === "#"))) {
            const slash = c === "/" || (special && c === "\\");
            if (isDoubleDot(buffer)) {
              shortenPath(url);
              if (!slash) push(url.path, "");
            } else if (isSingleDot(buffer)) {
              if (!slash) push(url.path, "");
            } else {
              if (url.scheme === "file" && url.path.length === 0 && isWindowsDriveLetter(buffer))
                buffer = buffer[0] + ":";
              push(url.path, buffer);
            }
            buffer = "";
            if (c === "?") {
              url.query = "";
              state = QUERY;
            } else if (c === "#") {
              url.fragment = "";
              state = FRAGMENT;
            }
          } else {
            const end = firstOf(s, pointer, (special ? "/\\" : "/") + (override ? "" : "?#"));
            buffer += encodeString(slice(s, pointer, end), PATH_SET);
            pointer = end - 1;
          }
          break;
        case OPAQUE_PATH:
          if (c === "?") {
            url.query = "";
            state = QUERY;
          } else if (c === "#") {
            url.fragment = "";
            state = FRAGMENT;
          } else if (c === " ") {
            const next = s[pointer + 1];
            url.path += next === "?" || next === "#" ? "%20" : " ";
          } else if (c !== undefined) {
            const end = firstOf(s, pointer, "?# ");
            url.path += encodeString(slice(s, pointer, end), C0);
            pointer = end - 1;
          }
          break;
        case QUERY:
          if ((!override && c === "#") || c === undefined) {
            url.query += encodeString(buffer, special ? SPECIAL_QUERY_SET : QUERY_SET);
            buffer = "";
            if (c === "#") {
              url.fragment = "";
              state = FRAGMENT;
            }
          } else {
            const end = override ? length : firstOf(s, pointer, "#");
            buffer += slice(s, pointer, end);
            pointer = end - 1;
          }
          break;
        case FRAGMENT:
          if (c !== undefined) {
            url.fragment += encodeString(slice(s, pointer), FRAGMENT_SET);
            pointer = length - 1;
          }
          break;
      }
      if (pointer >= length) break;
    }
    return url;
  };

  const serializePath = (url) => {
    if (hasOpaquePath(url)) return url.path;
    let out = "";
    for (let i = 0; i < url.path.length; i++) out += "/" + url.path[i];
    return out;
  };
  const serialize = (url) => {
    let out = url.scheme + ":";
    if (url.host !== null) {
      out += "//";
      if (includesCredentials(url)) {
        out += url.username;
        if (url.password !== "") out += ":" + url.password;
        out += "@";
      }
      out += url.host;
      if (url.port !== null) out += ":" + url.port;
    } else if (!hasOpaquePath(url) && url.path.length > 1 && url.path[0] === "") out += "/.";
    out += serializePath(url);
    if (url.query !== null) out += "?" + url.query;
    if (url.fragment !== null) out += "#" + url.fragment;
    return out;
  };
  const serializeOrigin = (url) => {
    if (url.scheme === "blob") {
      const inner = parse(serializePath(url), null);
      return inner !== null && (inner.scheme === "http" || inner.scheme === "https") ? serializeOrigin(inner) : "null";
    }
    if (!isSpecial(url.scheme) || url.scheme === "file") return "null";
    return url.scheme + "://" + url.host + (url.port === null ? "" : ":" + url.port);
  };

  // ---- application/x-www-form-urlencoded ----
  // a list of names and values, alternating (as Node keeps it)
  const formDecode = (s) => {
    let plus = indexOf(s, "+");
    if (plus >= 0) {
      let out = "";
      let start = 0;
      for (; plus >= 0; plus = indexOf(s, "+", start)) {
        out += slice(s, start, plus) + " ";
        start = plus + 1;
      }
      s = out + slice(s, start);
    }
    return percentDecode(s);
  };
  const parseForm = (input) => {
    const list = [];
    for (let start = 0; start <= input.length; ) {
      let end = indexOf(input, "&", start);
      if (end < 0) end = input.length;
      if (end > start) {
        const eq = indexOf(input, "=", start);
        const split = eq >= 0 && eq < end;
        push(list, formDecode(slice(input, start, split ? eq : end)));
        push(list, split ? formDecode(slice(input, eq + 1, end)) : "");
      }
      start = end + 1;
    }
    return list;
  };
  // bytes left as they are: ASCII alphanumerics and * - . _; a space is +
  const FORM_SAFE = new U8(128);
  for (let i = 0; i < 128; i++) {
    const ch = fromCharCode(i);
    FORM_SAFE[i] = isAlpha(ch) || isDigit(ch) || ch === "*" || ch === "-" || ch === "." || ch === "_" ? 1 : 0;
  }
  const formEncode = (s) => {
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const u = charCodeAt(s, i);
      if (u < 0x80) out += FORM_SAFE[u] ? s[i] : u === 0x20 ? "+" : HEX[u];
      else {
        const cp = codePointAt(s, i);
        out += utf8Percent(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
        if (cp > 0xffff) i++;
      }
    }
    return out;
  };
  const serializeForm = (list) => {
    let out = "";
    for (let i = 0; i < list.length; i += 2)
      out += (i > 0 ? "&" : "") + formEncode(list[i]) + "=" + formEncode(list[i + 1]);
    return out;
  };

  // links between a URL and its searchParams, set by the classes' static blocks
  let paramsListOf, setParamsList, newLinkedParams, setQueryFromParams;
  const FROM_RECORD = Symbol("URL record");
  const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";

  class URL {
    #url;
    #params = null;
    constructor(url, base = undefined) {
      if (url === FROM_RECORD) {
        this.#url = base;
        return;
      }
      if (arguments.length === 0) throw missingArgs("url");
      const input = usv(url);
      let baseString, baseRecord = null;
      if (base !== undefined) {
        baseString = usv(base);
        baseRecord = parse(baseString, null);
        if (baseRecord === null) throw invalidURL(input, baseString);
      }
      const record = parse(input, baseRecord);
      if (record === null) throw invalidURL(input, baseString);
      this.#url = record;
    }
    static #of(self) {
      if (!isObject(self) || !(#url in self)) throw new TypeErrorCtor("Receiver must be an instance of class URL");
      return self.#url;
    }
    #queryChanged() {
      if (this.#params !== null) setParamsList(this.#params, this.#url.query === null ? [] : parseForm(this.#url.query));
    }
    toString() {
      return serialize(URL.#of(this));
    }
    get href() {
      return serialize(URL.#of(this));
    }
    set href(value) {
      URL.#of(this);
      const input = usv(value);
      const record = parse(input, null);
      if (record === null) throw invalidURL(input);
      this.#url = record;
      this.#queryChanged();
    }
    get origin() {
      return serializeOrigin(URL.#of(this));
    }
    get protocol() {
      return URL.#of(this).scheme + ":";
    }
    set protocol(value) {
      const url = URL.#of(this);
      parse(usv(value) + ":", null, url, SCHEME_START);
    }
    get username() {
      return URL.#of(this).username;
    }
    set username(value) {
      const url = URL.#of(this);
      const input = usv(value);
      if (!cannotHaveCredentialsOrPort(url)) url.username = encodeString(input, USERINFO);
    }
    get password() {
      return URL.#of(this).password;
    }
    set password(value) {
      const url = URL.#of(this);
      const input = usv(value);
      if (!cannotHaveCredentialsOrPort(url)) url.password = encodeString(input, USERINFO);
    }
    get host() {
      const url = URL.#of(this);
      if (url.host === null) return "";
      return url.port === null ? url.host : url.host + ":" + url.port;
    }
    set host(value) {
      const url = URL.#of(this);
      const input = usv(value);
      if (!hasOpaquePath(url)) parse(input, null, url, HOST);
    }
    get hostname() {
      const host = URL.#of(this).host;
      return host === null ? "" : host;
    }
    set hostname(value) {
      const url = URL.#of(this);
      const input = usv(value);
      if (!hasOpaquePath(url)) parse(input, null, url, HOSTNAME);
    }
    get port() {
      const port = URL.#of(this).port;
      return port === null ? "" : "" + port;
    }
    set port(value) {
      const url = URL.#of(this);
      const input = usv(value);
      if (cannotHaveCredentialsOrPort(url)) return;
      if (input === "") url.port = null;
      else parse(input, null, url, PORT);
    }
    get pathname() {
      return serializePath(URL.#of(this));
    }
    set pathname(value) {
      const url = URL.#of(this);
      const input = usv(value);
      if (hasOpaquePath(url)) return;
      url.path = [];
      parse(input, null, url, PATH_START);
    }
    get search() {
      const query = URL.#of(this).query;
      return query === null || query === "" ? "" : "?" + query;
    }
    set search(value) {
      const url = URL.#of(this);
      const input = usv(value);
      if (input === "") url.query = null;
      else {
        url.query = "";
        parse(input[0] === "?" ? slice(input, 1) : input, null, url, QUERY);
      }
      this.#queryChanged();
    }
    get searchParams() {
      URL.#of(this);
      if (this.#params === null)
        this.#params = newLinkedParams(this, this.#url.query === null ? [] : parseForm(this.#url.query));
      return this.#params;
    }
    get hash() {
      const fragment = URL.#of(this).fragment;
      return fragment === null || fragment === "" ? "" : "#" + fragment;
    }
    set hash(value) {
      const url = URL.#of(this);
      const input = usv(value);
      if (input === "") {
        url.fragment = null;
        return;
      }
      url.fragment = "";
      parse(input[0] === "#" ? slice(input, 1) : input, null, url, FRAGMENT);
    }
    toJSON() {
      return serialize(URL.#of(this));
    }
    static parse(url, base = undefined) {
      if (arguments.length === 0) throw missingArgs("url");
      const record = URL.#parseArguments(url, base);
      return record === null ? null : new URL(FROM_RECORD, record);
    }
    static canParse(url, base = undefined) {
      if (arguments.length === 0) throw missingArgs("url");
      return URL.#parseArguments(url, base) !== null;
    }
    static #parseArguments(url, base) {
      const input = usv(url);
      let baseRecord = null;
      if (base !== undefined) {
        baseRecord = parse(usv(base), null);
        if (baseRecord === null) return null;
      }
      return parse(input, baseRecord);
    }
    static {
      // URLSearchParams' update steps: the list serialized is the URL's query
      setQueryFromParams = (self, query) => {
        self.#url.query = query === "" ? null : query;
      };
    }
  }

  class URLSearchParams {
    #list = [];
    #url = null; // the URL whose searchParams this is
    constructor(init = undefined) {
      if (init === undefined || init === null) return;
      if (isObject(init)) {
        const method = init[ITERATOR];
        if (method === undefined || method === null) this.#fromRecord(init);
        else if (typeof method !== "function")
          throw nodeError("Query pairs must be iterable", "ERR_ARG_NOT_ITERABLE");
        else if (method === ENTRIES && #list in init) {
          const from = init.#list;
          for (let i = 0; i < from.length; i++) push(this.#list, from[i]);
        } else this.#fromPairs(init);
      } else {
        const s = usv(init);
        this.#list = parseForm(s[0] === "?" ? slice(s, 1) : s);
      }
    }
    #fromPairs(init) {
      const list = this.#list;
      const badTuple = () => nodeError("Each query pair must be an iterable [name, value] tuple", "ERR_INVALID_TUPLE");
      for (const pair of init) {
        if (pair === undefined || pair === null) throw badTuple();
        if (isArray(pair)) {
          if (pair.length !== 2) throw badTuple();
          push(list, usv(pair[0]));
          push(list, usv(pair[1]));
          continue;
        }
        if (!isObject(pair) || typeof pair[ITERATOR] !== "function") throw badTuple();
        let n = 0;
        for (const element of pair) {
          push(list, usv(element));
          if (++n > 2) throw badTuple();
        }
        if (n !== 2) throw badTuple();
      }
    }
    #fromRecord(init) {
      const list = this.#list;
      const keys = ownKeys(init);
      const seen = new MapCtor();
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const desc = getOwnPropertyDescriptor(init, key);
        if (desc === undefined || !desc.enumerable) continue;
        if (typeof key === "symbol") throw new TypeErrorCtor("Cannot convert a Symbol value to a string");
        const name = usv(key);
        const value = usv(init[key]);
        const at = mapGet(seen, name);
        if (at === undefined) {
          mapSet(seen, name, list.length);
          push(list, name);
          push(list, value);
        } else list[at + 1] = value;
      }
    }
    static #check(self) {
      if (!isObject(self) || !(#list in self)) throw invalidThis("URLSearchParams");
    }
    #update() {
      if (this.#url !== null) setQueryFromParams(this.#url, serializeForm(this.#list));
    }
    get size() {
      URLSearchParams.#check(this);
      return this.#list.length / 2;
    }
    append(name, value) {
      URLSearchParams.#check(this);
      if (arguments.length < 2) throw missingArgs("name", "value");
      push(this.#list, usv(name));
      push(this.#list, usv(value));
      this.#update();
    }
    delete(name, value = undefined) {
      URLSearchParams.#check(this);
      if (arguments.length < 1) throw missingArgs("name");
      const n = usv(name);
      const v = value === undefined ? undefined : usv(value);
      const list = this.#list;
      const kept = [];
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === n && (v === undefined || list[i + 1] === v)) continue;
        push(kept, list[i]);
        push(kept, list[i + 1]);
      }
      this.#list = kept;
      this.#update();
    }
    get(name) {
      URLSearchParams.#check(this);
      if (arguments.length < 1) throw missingArgs("name");
      const n = usv(name);
      const list = this.#list;
      for (let i = 0; i < list.length; i += 2) if (list[i] === n) return list[i + 1];
      return null;
    }
    getAll(name) {
      URLSearchParams.#check(this);
      if (arguments.length < 1) throw missingArgs("name");
      const n = usv(name);
      const list = this.#list;
      const out = [];
      for (let i = 0; i < list.length; i += 2) if (list[i] === n) push(out, list[i + 1]);
      return out;
    }
    has(name, value = undefined) {
      URLSearchParams.#check(this);
      if (arguments.length < 1) throw missingArgs("name");
      const n = usv(name);
      const v = value === undefined ? undefined : usv(value);
      const list = this.#list;
      for (let i = 0; i < list.length; i += 2) if (list[i] === n && (v === undefined || list[i + 1] === v)) return true;
      return false;
    }
    set(name, value) {
      URLSearchParams.#check(this);
      if (arguments.length < 2) throw missingArgs("name", "value");
      const n = usv(name);
      const v = usv(value);
      const list = this.#list;
      const kept = [];
      let found = false;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] !== n) {
          push(kept, list[i]);
          push(kept, list[i + 1]);
        } else if (!found) {
          found = true;
          push(kept, n);
          push(kept, v);
        }
      }
      if (!found) {
        push(kept, n);
        push(kept, v);
      }
      this.#list = kept;
      this.#update();
    }
    sort() {
      URLSearchParams.#check(this);
      // a stable merge sort of the pairs by name, in UTF-16 code units
      let pairs = [];
      const list = this.#list;
      for (let i = 0; i < list.length; i += 2) push(pairs, [list[i], list[i + 1]]);
      for (let width = 1; width < pairs.length; width *= 2) {
        const merged = [];
        for (let lo = 0; lo < pairs.length; lo += 2 * width) {
          let a = lo;
          const mid = min(lo + width, pairs.length);
          const hi = min(lo + 2 * width, pairs.length);
          let b = mid;
          while (a < mid || b < hi) push(merged, b >= hi || (a < mid && !(pairs[b][0] < pairs[a][0])) ? pairs[a++] : pairs[b++]);
        }
        pairs = merged;
      }
      const sorted = [];
      for (let i = 0; i < pairs.length; i++) {
        push(sorted, pairs[i][0]);
        push(sorted, pairs[i][1]);
      }
      this.#list = sorted;
      this.#update();
    }
    entries() {
      URLSearchParams.#check(this);
      return new URLSearchParamsIterator(ITERATING, this, "entries");
    }
    forEach(callback, thisArg = undefined) {
      URLSearchParams.#check(this);
      if (typeof callback !== "function")
        throw nodeError(`The "callback" argument must be of type function. Received ${received(callback)}`,
          "ERR_INVALID_ARG_TYPE");
      for (let i = 0; i < this.#list.length; i += 2) apply(callback, thisArg, [this.#list[i + 1], this.#list[i], this]);
    }
    keys() {
      URLSearchParams.#check(this);
      return new URLSearchParamsIterator(ITERATING, this, "keys");
    }
    values() {
      URLSearchParams.#check(this);
      return new URLSearchParamsIterator(ITERATING, this, "values");
    }
    toString() {
      URLSearchParams.#check(this);
      return serializeForm(this.#list);
    }
    static {
      paramsListOf = (self) => self.#list;
      setParamsList = (self, list) => {
        self.#list = list;
      };
      newLinkedParams = (url, list) => {
        const params = new URLSearchParams();
        params.#list = list;
        params.#url = url;
        return params;
      };
    }
  }
  const ENTRIES = URLSearchParams.prototype.entries;

  const ITERATING = Symbol("iterating");
  class URLSearchParamsIterator {
    #params;
    #kind;
    #index = 0;
    constructor(token, params, kind) {
      if (token !== ITERATING) throw new TypeErrorCtor("Illegal constructor");
      this.#params = params;
      this.#kind = kind;
    }
    next() {
      if (!isObject(this) || !(#kind in this)) throw invalidThis("URLSearchParamsIterator");
      const list = paramsListOf(this.#params);
      const i = this.#index;
      if (i >= list.length) return { value: undefined, done: true };
      this.#index = i + 2;
      const kind = this.#kind;
      return { value: kind === "keys" ? list[i] : kind === "values" ? list[i + 1] : [list[i], list[i + 1]], done: false };
    }
  }

  // Prototypes shaped as Node's: methods and accessors enumerable, a toStringTag each,
  // URLSearchParams' @@iterator its entries method, the iterator's prototype holding only next
  const enumerable = (proto) => {
    const keys = ownKeys(proto);
    for (let i = 0; i < keys.length; i++)
      if (keys[i] !== "constructor") defineProperty(proto, keys[i], { enumerable: true });
  };
  enumerable(URL.prototype);
  enumerable(URLSearchParams.prototype);
  defineProperty(URL, "parse", { enumerable: true });
  defineProperty(URL, "canParse", { enumerable: true });
  defineProperty(URLSearchParams.prototype, ITERATOR, { value: ENTRIES, writable: true, configurable: true });
  const iteratorProto = URLSearchParamsIterator.prototype;
  setPrototypeOf(iteratorProto, IteratorPrototype);
  delete iteratorProto.constructor;
  defineProperty(iteratorProto, "next", { enumerable: true });
  for (const [C, tag] of [[URL.prototype, "URL"], [URLSearchParams.prototype, "URLSearchParams"],
    [iteratorProto, "URLSearchParams Iterator"]])
    defineProperty(C, Symbol.toStringTag, { value: tag, configurable: true });
  define("URL", URL);
  define("URLSearchParams", URLSearchParams);
})
