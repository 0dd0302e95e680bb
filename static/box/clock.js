// The box's clock: the coordinator's one tap sends this device's time; an enrolled kiosk or
// tablet reports its own clock every five minutes (the status page shows gaps over 2 minutes).
(function () {
  "use strict";
  document.querySelectorAll("form[data-box-clock-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.elements.device_time.value = String(Date.now());
    });
  });
  if (document.querySelector("form[data-box-clock-form]")) return;
  var token = document.querySelector('meta[name="csrf-token"]');
  function report() {
    fetch("/api/box/device-clock", {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token ? token.content : ""},
      body: JSON.stringify({device_time: Date.now()})
    }).then(function (response) { return response.text(); })  // read to the end: the request is then over
      .catch(function () { /* offline: the next report will do */ });
  }
  report();
  setInterval(report, 5 * 60 * 1000);
})();
