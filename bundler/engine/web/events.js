// placeholder: filled in by its own commit
(function (native, define) {
  "use strict";
})
