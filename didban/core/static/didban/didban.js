// Place picker: a search box (htmx fetches suggestions) fills a hidden field with the chosen place's id.
document.addEventListener("click", function (event) {
  var option = event.target.closest("[data-pick-id]");
  if (!option) return;
  var field = option.dataset.pickField;
  var hidden = document.querySelector('input[type=hidden][name="' + field + '"]');
  var label = document.getElementById("picker-label-" + field);
  var results = document.getElementById("picker-results-" + field);
  if (hidden) hidden.value = option.dataset.pickId;
  if (label) label.textContent = option.dataset.pickLabel;
  if (results) results.innerHTML = "";
});

// Export menus send the list's filters as they are now (htmx may have changed the address
// since the page was drawn).
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-export-form]");
  if (!form) return;
  form.querySelector('input[name="query"]').value = window.location.search.replace(/^\?/, "");
  form.querySelector('input[name="next"]').value = window.location.pathname + window.location.search;
});
