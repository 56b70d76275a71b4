// The opportunity finder: filters that combine, applied in place, kept in the address. An enhancement.
//
// The page is built with every list item marked with the values it has under each filter
// (data-finder-who="charity community-group", data-finder-area, -size, -stream, -type, -priority)
// and the largest award it can make (data-finder-amount). The form of checkboxes is built hidden:
// without JavaScript a static page cannot answer it, so the links to a page per filter value stand in.
// This script shows the form, hides those links, and on every change hides the items that do not
// match: within one filter any ticked value will do (a charity or a community group), across
// filters each must. The choice is written into the address (?who=charity&area=luton&sort=amount),
// so it can be shared, bookmarked or reloaded, and read back from it when the page opens.
(function () {
  "use strict";

  var form = document.querySelector("form[data-finder]");
  if (!form || !window.URLSearchParams || !window.history || !window.history.replaceState) return;

  var DEFAULT_SORT = "closes";
  var NARROW = window.matchMedia ? window.matchMedia("(max-width: 40.0525em)") : null; // GOV.UK's tablet breakpoint
  var lists = document.querySelectorAll("[data-finder-list]");
  var count = document.querySelector("[data-finder-count]");
  var links = document.querySelector("[data-finder-links]");
  var skip = document.querySelector("[data-finder-skip]");
  var body = form.querySelector(".app-finder__body");
  var boxes = form.querySelectorAll("input[type=checkbox]");
  var sort = form.querySelector("select[name=sort]");
  var toggle;

  function each(nodes, fn) { Array.prototype.forEach.call(nodes, fn); }

  function chosen() {
    // facet -> ticked values, only for facets with any
    var result = {};
    each(boxes, function (box) {
      if (!box.checked) return;
      (result[box.name] = result[box.name] || []).push(box.value);
    });
    return result;
  }

  function matches(item, choice) {
    return Object.keys(choice).every(function (facet) {
      var has = (item.getAttribute("data-finder-" + facet) || "").split(" ");
      return choice[facet].some(function (value) { return has.indexOf(value) !== -1; });
    });
  }

  function order(item) { return parseInt(item.getAttribute("data-finder-order"), 10) || 0; }

  function compare(by) {
    return function (a, b) {
      if (by === "amount") {
        var difference = parseFloat(b.getAttribute("data-finder-amount")) - parseFloat(a.getAttribute("data-finder-amount"));
        if (difference) return difference;
      }
      return order(a) - order(b); // as built: each list's own order by closing (or opening) date
    };
  }

  function apply() {
    var choice = chosen();
    var shown = 0;
    var total = 0;
    each(lists, function (list) {
      var items = Array.prototype.slice.call(list.children);
      items.sort(compare(sort ? sort.value : DEFAULT_SORT));
      var visible = 0;
      items.forEach(function (item) {
        list.appendChild(item);
        item.hidden = !matches(item, choice);
        if (!item.hidden) visible += 1;
      });
      total += items.length;
      shown += visible;
      list.hidden = visible === 0;
      var none = list.nextElementSibling;
      if (none && none.hasAttribute("data-finder-none")) none.hidden = visible !== 0;
    });
    var ticked = Object.keys(choice).length;
    if (count) {
      // Said only once something is chosen: the first screen of a phone is for the opportunities.
      count.textContent = ticked
        ? "Showing " + shown + " of " + total + " " + (total === 1 ? "opportunity" : "opportunities") : "";
    }
    if (toggle) toggle.textContent = toggleText();
  }

  function remember() {
    var params = new URLSearchParams();
    each(boxes, function (box) { if (box.checked) params.append(box.name, box.value); });
    if (sort && sort.value !== DEFAULT_SORT) params.set("sort", sort.value);
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    each(boxes, function (box) { box.checked = params.getAll(box.name).indexOf(box.value) !== -1; });
    if (sort) {
      var wanted = params.get("sort");
      var known = Array.prototype.some.call(sort.options, function (option) { return option.value === wanted; });
      sort.value = known ? wanted : DEFAULT_SORT;
    }
  }

  function toggleText() {
    var ticked = 0;
    each(boxes, function (box) { if (box.checked) ticked += 1; });
    var open = toggle.getAttribute("aria-expanded") === "true";
    return (open ? "Hide" : "Show") + " filters" + (ticked ? " (" + ticked + " chosen)" : "");
  }

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    body.hidden = !open;
    toggle.textContent = toggleText();
  }

  // On a phone the filters fold behind a button, so that the first opportunities are on the first screen.
  function fold() {
    var narrow = NARROW && NARROW.matches;
    toggle.hidden = !narrow;
    setOpen(!narrow);
  }

  form.hidden = false;
  if (links) links.hidden = true;
  if (skip) skip.setAttribute("href", "#finder");
  if (body) {
    toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "govuk-button govuk-button--secondary app-finder__toggle";
    toggle.setAttribute("aria-controls", body.id);
    body.parentNode.insertBefore(toggle, body);
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
    fold();
    if (NARROW && NARROW.addEventListener) NARROW.addEventListener("change", fold);
  }

  form.addEventListener("change", function () { apply(); remember(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); remember(); });
  var clear = form.querySelector("[data-finder-clear]");
  if (clear) {
    clear.addEventListener("click", function () {
      each(boxes, function (box) { box.checked = false; });
      if (sort) sort.value = DEFAULT_SORT;
      apply();
      remember();
    });
  }

  restore();
  apply();
})();
