window.addEventListener("load", function () { window.print(); });
