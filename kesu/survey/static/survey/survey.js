/* Survey pages: progress of a background job (polls a JSON status URL) and of a large upload.
   Without JavaScript the pages still work: the progress pages refresh themselves, forms post normally. */
(function () {
  "use strict";

  var poll = document.querySelector("[data-poll]");
  if (poll && window.fetch) {
    var bar = poll.querySelector("[data-bar]");
    var stage = poll.querySelector("[data-stage]");
    var percent = poll.querySelector("[data-percent]");
    var refresh = document.querySelector("meta[http-equiv=refresh]");
    if (refresh) { refresh.parentNode.removeChild(refresh); }
    var tick = function () {
      fetch(poll.getAttribute("data-poll"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (state) {
          if (bar) { bar.style.width = state.progress + "%"; }
          if (percent) { percent.textContent = state.progress + "%"; }
          if (stage && state.stage) { stage.textContent = state.stage; }
          if (state.done) { window.location.reload(); } else { window.setTimeout(tick, 1500); }
        })
        .catch(function () { window.setTimeout(tick, 5000); });
    };
    window.setTimeout(tick, 1000);
  }

  var form = document.querySelector("form[data-upload]");
  if (form && window.FormData && window.XMLHttpRequest) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var box = document.getElementById("upload-progress");
      var fill = box.querySelector("[data-bar]");
      var text = box.querySelector("[data-stage]");
      var button = form.querySelector("button[type=submit]");
      box.hidden = false;
      button.disabled = true;
      var target = form.action || window.location.href;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", target);
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) { return; }
        var p = Math.round((100 * e.loaded) / e.total);
        fill.style.width = p + "%";
        text.textContent = "正在上传 " + p + "%（" + (e.loaded / 1048576).toFixed(1) + " / " + (e.total / 1048576).toFixed(1) + " MB）";
      };
      xhr.upload.onload = function () { text.textContent = "上传完成，正在检查文件……"; };
      xhr.onload = function () {
        if (xhr.responseURL && xhr.responseURL.split("#")[0] !== target.split("#")[0]) {
          window.location.href = xhr.responseURL;
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      };
      xhr.onerror = function () {
        text.textContent = "上传失败：网络连接中断，请重试。";
        button.disabled = false;
      };
      xhr.send(new FormData(form));
    });
  }
})();
