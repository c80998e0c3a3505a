/* Page behaviour of every Kesu page, wired by data- attributes: the Content-Security-Policy allows no inline
   <script> and no on…= handlers. Every page still works without JavaScript. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm], [data-open-all], [data-close-all], [data-print]");
    if (!target) return;
    if (target.matches("button[data-confirm], input[data-confirm]")) {
      // A button that asks before it submits (the form's other buttons do not ask).
      if (!window.confirm(target.getAttribute("data-confirm"))) event.preventDefault();
    } else if (target.hasAttribute("data-open-all") || target.hasAttribute("data-close-all")) {
      // Expand or collapse every <details> the selector names.
      var open = target.hasAttribute("data-open-all");
      var selector = target.getAttribute(open ? "data-open-all" : "data-close-all");
      document.querySelectorAll(selector).forEach(function (details) { details.open = open; });
    } else if (target.hasAttribute("data-print")) {
      window.print();
    }
  });

  // <form data-confirm="…">: the whole form asks before it submits.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  });

  // <select data-autosubmit>: choosing an option submits its form (a <noscript> button does it otherwise).
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]") && event.target.form) event.target.form.submit();
  });

  // <input type="checkbox" data-check-all="NAME">: ticks or clears every enabled checkbox named NAME.
  document.addEventListener("change", function (event) {
    var all = event.target;
    if (!all.matches("input[data-check-all]")) return;
    document.querySelectorAll('input[type=checkbox][name="' + all.getAttribute("data-check-all") + '"]').forEach(function (box) {
      if (!box.disabled) box.checked = all.checked;
    });
  });

  // <select data-unit-add="FIELD-ID">: choosing a unit appends its name to that field's 、-separated list.
  document.addEventListener("change", function (event) {
    var picker = event.target;
    if (!picker.matches("select[data-unit-add]") || !picker.value) return;
    var field = document.getElementById(picker.getAttribute("data-unit-add"));
    if (field) {
      var names = field.value.split(/[、，,；;\n]+/).map(function (n) { return n.trim(); }).filter(Boolean);
      if (names.indexOf(picker.value) < 0) names.push(picker.value);
      field.value = names.join("、");
    }
    picker.value = "";
  });
})();
