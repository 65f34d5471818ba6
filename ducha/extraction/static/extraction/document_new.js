// Import a report: refuse an over-large paste here, before the browser sends it (the server refuses it too).
// The form carries the limit in bytes as data-limit.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    var text = document.getElementById("id_text").value;
    var tooBig = new Blob([text]).size > Number(form.dataset.limit);
    document.getElementById("size-warning").classList.toggle("d-none", !tooBig);
    if (tooBig) {
      event.preventDefault();
    }
  });
});
