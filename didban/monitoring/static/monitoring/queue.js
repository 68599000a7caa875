// Keyboard filtering: j/k move between hits, c confirm, d dismiss, 1/2/3 set the tone.
(function () {
  function hits() { return Array.from(document.querySelectorAll("#hits .hit")); }
  function current() { return document.activeElement && document.activeElement.closest(".hit"); }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) return;
    var list = hits();
    var hit = current();
    var index = hit ? list.indexOf(hit) : -1;
    if (event.key === "j" || event.key === "k") {
      var next = list[Math.max(0, Math.min(list.length - 1, index + (event.key === "j" ? 1 : -1)))];
      if (next) next.focus();
      event.preventDefault();
      return;
    }
    if (!hit) return;
    var form = hit.querySelector("form");
    if (event.key === "c" || event.key === "d") {
      form.querySelector(event.key === "c" ? "[data-testid=confirm]" : "[data-testid=dismiss]").click();
      event.preventDefault();
    } else if (["1", "2", "3"].indexOf(event.key) >= 0) {
      form.querySelector("select[name=tone]").selectedIndex = Number(event.key);
      event.preventDefault();
    }
  });
})();
