// Opportunity statuses that stay true between builds: a progressive enhancement.
//
// The site is rebuilt on a timer, but a call can close between two builds. Each status the build
// worked out from the clock is marked with data-live-status, with the moments that decide it:
// data-opens and data-closes (ISO 8601 with offset) and data-soon-days. This script works the
// status out again from the reader's clock, as the build does, and when it has moved on it
// rewrites the tag, replaces the status line with a short true one, and hides whatever is marked
// data-while-open (the "Apply" button). Awarded and withdrawn calls are never marked: they follow
// from the data, not the clock. Without JavaScript, each page says when its status was worked out.
(function () {
  "use strict";

  var LABELS = { upcoming: "Upcoming", open: "Open", "closing-soon": "Closing soon", closed: "Closed" };
  var COLOURS = { upcoming: "", open: "govuk-tag--green", "closing-soon": "govuk-tag--orange", closed: "govuk-tag--grey" };
  var DAY = 24 * 60 * 60 * 1000;

  function statusAt(now, opens, closes, soonDays) {
    if (now < opens) return "upcoming";
    if (now >= closes) return "closed";
    return closes - now <= soonDays * DAY ? "closing-soon" : "open";
  }

  function retag(tag, status) {
    tag.className = "govuk-tag" + (COLOURS[status] ? " " + COLOURS[status] : "");
    tag.textContent = LABELS[status];
  }

  function update() {
    var now = Date.now();
    var marked = document.querySelectorAll("[data-live-status]");
    for (var i = 0; i < marked.length; i++) {
      var item = marked[i];
      var opens = Date.parse(item.getAttribute("data-opens"));
      var closes = Date.parse(item.getAttribute("data-closes"));
      var soon = parseInt(item.getAttribute("data-soon-days"), 10) || 0;
      if (isNaN(opens) || isNaN(closes)) continue;
      var status = statusAt(now, opens, closes, soon);
      if (status === item.getAttribute("data-status")) continue;
      item.setAttribute("data-status", status);
      var tag = item.querySelector(".govuk-tag");
      if (tag) retag(tag, status);
      var line = item.querySelector("[data-status-line]");
      if (line) {
        line.textContent = status === "closed" ? "Closed. You can no longer apply."
          : status === "upcoming" ? "Not open yet." : "Open for bids.";
      }
      var scope = item.closest("[data-status-scope]") || document;
      var open = status === "open" || status === "closing-soon";
      var gated = scope.querySelectorAll("[data-while-open]");
      for (var j = 0; j < gated.length; j++) gated[j].hidden = !open;
    }
  }

  update();
  window.setInterval(update, 60 * 1000);
})();
