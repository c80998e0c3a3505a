/* Only the villages of the chosen township (the list still works without JavaScript). */
(function () {
  var township = document.getElementById("id_township"), village = document.getElementById("id_village");
  if (!township || !village) return;
  function filter() {
    var name = township.options[township.selectedIndex] ? township.options[township.selectedIndex].text : "";
    Array.prototype.forEach.call(village.getElementsByTagName("optgroup"), function (group) {
      var show = !township.value || group.label === name;
      group.hidden = !show; group.disabled = !show;
      if (!show && village.selectedOptions[0] && village.selectedOptions[0].parentNode === group) village.value = "";
    });
  }
  township.addEventListener("change", filter); filter();
})();
