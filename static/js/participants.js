/* Participants screens: the list filters as you type (the GET form still works without JS),
   and the referrer field fills in the structure it knows. */
(function () {
  "use strict";

  function liveSearch(form) {
    var results = document.getElementById("results");
    var status = document.getElementById("results-count");
    var timer = null;
    var controller = null;

    function refresh() {
      var params = new URLSearchParams(new FormData(form));
      params.delete("page");
      var query = params.toString();
      params.set("fragment", "1");
      if (controller) { controller.abort(); }
      controller = new AbortController();
      fetch(form.action + "?" + params.toString(), {
        headers: { "Accept": "text/html" }, credentials: "same-origin", signal: controller.signal
      }).then(function (response) {
        if (response.redirected || !response.ok) {
          window.location.assign(response.url);  // logged out, or an error page: show it whole
          return null;
        }
        return response.text();
      }).then(function (html) {
        if (html === null) { return; }
        results.innerHTML = html;
        var summary = results.querySelector("[data-summary]");
        if (summary && status) { status.textContent = summary.getAttribute("data-summary"); }
        window.history.replaceState(null, "", form.action + (query ? "?" + query : ""));
      }).catch(function (error) {
        if (error.name !== "AbortError") { form.submit(); }
      });
    }

    form.addEventListener("input", function (event) {
      if (event.target.type !== "search") { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 150);
    });
    form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT") { refresh(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      refresh();
    });
  }

  function referrerStructure(form) {
    var referrer = form.querySelector("#referrer_name");
    var structure = form.querySelector("#structure");
    var known = document.getElementById("referrer-names");
    if (!referrer || !structure || !known) { return; }
    referrer.addEventListener("change", function () {
      var options = known.querySelectorAll("option");
      for (var i = 0; i < options.length; i += 1) {
        if (options[i].value === referrer.value && options[i].getAttribute("data-structure") && !structure.value) {
          structure.value = options[i].getAttribute("data-structure");
        }
      }
    });
  }

  var search = document.querySelector("form[data-live-search]");
  if (search) { liveSearch(search); }
  var details = document.querySelector("form[data-referrer-form]");
  if (details) { referrerStructure(details); }
}());
