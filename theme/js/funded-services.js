// Sortable funded-services tables: a progressive enhancement. Without JavaScript each
// table keeps the order the page was built in.
//
// A table with class "app-sortable-table" gets a button in each heading that
// has a data-sort-type ("text" or "number"). A cell may give the value to sort
// by in data-sort-value (an amount in pounds, an ISO date); otherwise its text
// is used. The heading's aria-sort says which way the column is sorted, and a
// live region says so out loud.
(function () {
  "use strict";

  var collator = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });

  function sortValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var value = cell.getAttribute("data-sort-value");
    return value !== null ? value : cell.textContent.trim();
  }

  function compare(type, a, b) {
    if (type === "number") {
      var x = parseFloat(a);
      var y = parseFloat(b);
      return (isNaN(x) ? -Infinity : x) - (isNaN(y) ? -Infinity : y);
    }
    return collator.compare(a, b);
  }

  function sortBy(table, heading, status) {
    var index = heading.cellIndex;
    var type = heading.getAttribute("data-sort-type");
    var direction = heading.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var sign = direction === "ascending" ? 1 : -1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
      if (other !== heading && other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
    });
    heading.setAttribute("aria-sort", direction);
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        return sign * compare(type, sortValue(a, index), sortValue(b, index));
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
    status.textContent = "Sorted by " + heading.textContent.trim() + ", " + direction;
  }

  function enhance(table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    var status = document.createElement("p");
    status.className = "govuk-visually-hidden";
    status.setAttribute("role", "status");
    table.parentNode.insertBefore(status, table.nextSibling);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading) {
      if (!heading.hasAttribute("data-sort-type")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "app-sortable-table__button";
      button.textContent = heading.textContent.trim();
      heading.textContent = "";
      heading.appendChild(button);
      heading.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortBy(table, heading, status); });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.app-sortable-table"), enhance);
})();
