/* Account pages: the unit picker offers the member units of the jurisdiction chosen in the same form.
   (Confirmations, printing and pickers that submit on change come from kesu/kesu.js, on every page.) */
(function () {
  "use strict";
  document.querySelectorAll("select[data-unit-source]").forEach(function (select) {
    var list = document.getElementById(select.dataset.unitSource);
    select.addEventListener("change", function () {
      fetch(select.dataset.unitsUrl + "?j=" + encodeURIComponent(select.value), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { units: [] }; })
        .then(function (data) {
          list.replaceChildren.apply(list, data.units.map(function (name) {
            var option = document.createElement("option");
            option.value = name;
            return option;
          }));
        });
    });
  });
})();
