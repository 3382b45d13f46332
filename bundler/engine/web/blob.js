// (being written)
(function (native, define) {
  "use strict";
});
