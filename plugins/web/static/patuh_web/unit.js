// The operator's section pages: when a save is refused (the unit was submitted or the session
// ended in another tab) or the server cannot be reached, say so at the field, instead of
// leaving the answer looking saved. No inline scripts: this file is loaded by the page.
(function () {
  "use strict";
  var TEXTS = {
    id: {
      403: "Tidak tersimpan: jawaban unit ini tidak dapat diubah lagi (sudah diserahkan atau Anda tidak berhak). Muat ulang halaman.",
      404: "Tidak tersimpan: unit ini tidak ditemukan. Muat ulang halaman.",
      other: "Tidak tersimpan: server menolak permintaan. Muat ulang halaman lalu coba lagi.",
      offline: "Tidak tersimpan: server tidak dapat dihubungi. Periksa jaringan lalu ubah isian lagi."
    },
    en: {
      403: "Not saved: this unit's answers can no longer be changed (submitted, or you may not). Reload the page.",
      404: "Not saved: this unit was not found. Reload the page.",
      other: "Not saved: the server refused the request. Reload the page and try again.",
      offline: "Not saved: the server cannot be reached. Check the network, then change the answer again."
    }
  };

  function say(form, text) {
    if (!form || !form.classList || !form.classList.contains("field")) {
      return;
    }
    var note = form.querySelector("p.error, p.reading");
    if (!note) {
      note = document.createElement("p");
      form.appendChild(note);
    }
    note.className = "error";
    note.setAttribute("role", "alert");
    note.textContent = text;
    form.classList.add("has-error");
  }

  function texts() {
    return (document.documentElement.lang || "id").indexOf("en") === 0 ? TEXTS.en : TEXTS.id;
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var t = texts();
    say(event.detail.elt, t[status] || t.other);
  });
  document.addEventListener("htmx:sendError", function (event) {
    say(event.detail.elt, texts().offline);
  });
})();
