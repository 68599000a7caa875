// Fills the hidden GPS fields of the field agent's report form from the device, when allowed.
(function () {
  const form = document.querySelector("[data-testid=field-report-form]");
  const status = document.getElementById("gps-status");
  if (!form || !navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
      form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
      form.querySelector("[name=accuracy_m]").value = Math.round(pos.coords.accuracy);
      if (status) status.textContent = status.dataset.ok || "GPS ✓ ±" + Math.round(pos.coords.accuracy) + "m";
    },
    () => { if (status) status.textContent = "—"; },
    { enableHighAccuracy: true, timeout: 15000 }
  );
})();
