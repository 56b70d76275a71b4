// Instant search for /search/ (theme/templates/search/search.html), over the index Pagefind builds at the
// end of the site build (plugins/commissioning/postprocess/search_index.py).
//
// Without this script the page shows links to the site's lists. With it, once Pagefind's own
// module has loaded, those links give way to a search box and two filters (kind of page, funding
// stream); results appear as you type, with each opportunity's status and amount. The query and
// filters are kept in the address (?q=&kind=&stream=) so a search can be bookmarked or shared.
//
// Everything is built with DOM methods and textContent: no innerHTML, no inline styles, so the
// site's Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'; style-src 'self') holds.

const PAGE_SIZE = 10;
const TYPING_DELAY = 200; // milliseconds after the last key press before searching

// Tag colours for the statuses pages carry (derive.STATUS_LABELS and AWARD_STATUS_LABELS), as the
// status_tag macro of macros/components.html colours them. Unknown statuses get a grey tag.
const STATUS_COLOURS = {
  Upcoming: "",
  Open: "govuk-tag--green",
  "Closing soon": "govuk-tag--orange",
  Closed: "govuk-tag--grey",
  Awarded: "govuk-tag--purple",
  Withdrawn: "govuk-tag--red",
  Current: "govuk-tag--green",
  Ended: "govuk-tag--grey",
  "Not yet started": "",
};

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Pagefind's excerpt is text with <mark> around the words found, and < and > escaped. Parse it
// in an inert document and keep only text and <mark>.
function excerptNodes(excerpt) {
  const parsed = new DOMParser().parseFromString(`<body>${excerpt}`, "text/html");
  return [...parsed.body.childNodes].map((node) => {
    if (node.nodeName === "MARK") return element("mark", "app-search-result__match", node.textContent);
    return document.createTextNode(node.textContent);
  });
}

function resultItem(data) {
  const item = element("li", "app-search-result");
  const heading = element("h2", "govuk-heading-s app-search-result__title");
  const link = element("a", "govuk-link", data.meta.title || data.url);
  link.href = data.url;
  heading.append(link);
  item.append(heading);

  const details = [];
  const kind = (data.filters.kind || [])[0];
  if (kind && kind !== "Page") details.push(element("span", "app-search-result__kind", kind));
  if (data.meta.status) {
    const colour = STATUS_COLOURS[data.meta.status] ?? "govuk-tag--grey";
    details.push(element("strong", `govuk-tag ${colour}`.trim(), data.meta.status));
  }
  if (data.meta.amount) {
    details.push(element("span", "app-search-result__amount", `${data.meta.amount_label || "Amount"}: ${data.meta.amount}`));
  }
  if (details.length) {
    const line = element("p", "app-search-result__details");
    line.append(...details);
    item.append(line);
  }
  if (data.excerpt) {
    const excerpt = element("p", "govuk-body app-search-result__excerpt");
    excerpt.append(...excerptNodes(data.excerpt));
    item.append(excerpt);
  }
  return item;
}

function describe(count, query, filterLabels) {
  const results = count === 1 ? "1 result" : `${count.toLocaleString("en-GB")} results`;
  let text = count === 0 ? "No results" : results;
  if (query) text += ` for ‘${query}’`;
  if (filterLabels.length) text += ` in ${filterLabels.join(", ")}`;
  if (count === 0) text += ". Check the spelling, use fewer words or remove a filter.";
  return text;
}

async function start(form) {
  const page = form.closest("main") || document;
  const fallback = page.querySelector("[data-search-fallback]");
  const status = page.querySelector("[data-search-status]");
  const list = page.querySelector("[data-search-results]");
  const more = page.querySelector("[data-search-more]");
  const input = form.elements.namedItem("q");
  const selects = [...form.querySelectorAll("select")];

  const siteUrl = form.dataset.siteUrl || "/";
  let pagefind;
  try {
    pagefind = await import(`${siteUrl}pagefind/pagefind.js`);
    await pagefind.options({ baseUrl: new URL(siteUrl, window.location.href).pathname, excerptLength: 24 });
    await pagefind.init();
  } catch (error) {
    console.error("Search could not load its index:", error);
    return; // the links to the lists stay
  }
  fallback.hidden = true;
  form.hidden = false;

  let results = [];
  let shown = 0;
  let latest = 0; // number of the latest search: an older one that finishes late is dropped
  let timer;

  async function showMore() {
    const batch = results.slice(shown, shown + PAGE_SIZE);
    const data = await Promise.all(batch.map((result) => result.data()));
    const items = data.map(resultItem);
    list.append(...items);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return items;
  }

  function remember(query) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    for (const select of selects) if (select.value) params.set(select.name, select.value);
    const search = params.toString();
    window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
  }

  async function search() {
    const number = ++latest;
    const query = input.value.trim();
    const filters = {};
    const labels = [];
    for (const select of selects) {
      if (select.value) {
        filters[select.name] = select.value;
        labels.push(select.selectedOptions[0].textContent);
      }
    }
    remember(query);
    if (!query && !labels.length) {
      results = [];
      list.replaceChildren();
      list.hidden = true;
      more.hidden = true;
      status.textContent = "";
      return;
    }
    // A null query with filters lists every page that the filters match.
    const response = await pagefind.search(query || null, { filters });
    if (number !== latest || !response) return;
    results = response.results;
    shown = 0;
    list.replaceChildren();
    await showMore();
    if (number !== latest) return;
    list.hidden = results.length === 0;
    status.textContent = describe(results.length, query, labels);
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, TYPING_DELAY);
  });
  for (const select of selects) select.addEventListener("change", search);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    search();
  });
  more.addEventListener("click", async () => {
    const items = await showMore();
    // Move to the first new result, so keyboard and screen reader users carry on from there.
    const first = items[0] && items[0].querySelector("a");
    if (first) first.focus();
  });

  // A bookmarked or shared search: /search/?q=victims&kind=Opportunity
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  for (const select of selects) {
    const wanted = params.get(select.name);
    if (wanted && [...select.options].some((option) => option.value === wanted)) select.value = wanted;
  }
  if (input.value || selects.some((select) => select.value)) await search();
}

const form = document.querySelector("[data-search-form]");
if (form) start(form);
