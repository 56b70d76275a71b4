// Build the theme's CSS and JavaScript into theme/static/build/ under
// content-hashed names, and write build/manifest.json mapping logical names
// ("app.css") to them ("build/app.1a2b3c4d.css"), for the Jinja `asset()`
// global. Hashed names can be cached for ever: a change gives a new name.
//
// Usage: node tools/build_assets.mjs
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import * as sass from "sass";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const THEME = path.join(ROOT, "theme");
const STATIC = path.join(THEME, "static");
const BUILD = path.join(STATIC, "build");
const SASS_ENTRY = path.join(THEME, "sass", "app.scss");
const JS_DIR = path.join(THEME, "js");

// A detail page must weigh at most 20 KB compressed including its CSS; keep
// the CSS well under that so the HTML has room.
const CSS_BUDGET_GZIP = 14 * 1024;

// What earlier builds wrote: name.<8 hex>.css|js.
const HASHED = /\.[0-9a-f]{8}\.(css|js)$/;

function hashed(name, content) {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 8);
  const ext = path.extname(name);
  return `${path.basename(name, ext)}.${hash}${ext}`;
}

function compileCss(entry = SASS_ENTRY) {
  const result = sass.compile(entry, {
    style: "compressed",
    loadPaths: [path.join(ROOT, "node_modules"), path.dirname(SASS_ENTRY)],
    // Deprecation notices from inside govuk-frontend are theirs to fix, not ours.
    quietDeps: true,
  });
  return result.css; // with a UTF-8 BOM when it holds non-ASCII characters
}

async function ownScripts() {
  let names;
  try {
    names = await readdir(JS_DIR);
  } catch (error) {
    if (error.code === "ENOENT") return [];
    throw error;
  }
  return names.filter((name) => name.endsWith(".js")).sort();
}

async function main() {
  await mkdir(BUILD, { recursive: true });
  const outputs = new Map(); // logical name -> [file name, content]

  const css = Buffer.from(compileCss());
  outputs.set("app.css", [hashed("app.css", css), css]);
  // A page stylesheet (theme/sass/pages/<name>.scss) for what only some pages use: the finder's form
  // and checkboxes would add a kilobyte to every page's app.css.
  const pagesDir = path.join(path.dirname(SASS_ENTRY), "pages");
  for (const name of (await readdir(pagesDir).catch(() => [])).sort()) {
    if (name.endsWith(".scss") && !name.startsWith("_")) {
      const logical = name.replace(/\.scss$/, ".css");
      const page = Buffer.from(compileCss(path.join(pagesDir, name)));
      outputs.set(logical, [hashed(logical, page), page]);
    }
  }
  for (const name of await ownScripts()) {
    const js = await readFile(path.join(JS_DIR, name));
    outputs.set(name, [hashed(name, js), js]);
  }

  const manifest = {};
  for (const [logical, [file, content]] of outputs) {
    await writeFile(path.join(BUILD, file), content);
    manifest[logical] = `build/${file}`;
  }
  // Written whole then renamed, so a reader never sees half a manifest.
  const manifestPath = path.join(BUILD, "manifest.json");
  await writeFile(`${manifestPath}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${manifestPath}.tmp`, manifestPath);

  const current = new Set([...outputs.values()].map(([file]) => file));
  for (const name of await readdir(BUILD)) {
    if (HASHED.test(name) && !current.has(name)) {
      await rm(path.join(BUILD, name));
    }
  }

  for (const [logical, [file, content]] of outputs) {
    const gzip = gzipSync(content, { level: 9 }).length;
    console.log(`${logical} -> build/${file}: ${content.length} bytes, ${gzip} gzipped`);
    if (logical === "app.css" && gzip > CSS_BUDGET_GZIP) {
      console.warn(`warning: app.css is ${gzip} bytes gzipped, over its budget of ${CSS_BUDGET_GZIP}`);
    }
  }
}

main().catch((error) => {
  console.error(error instanceof sass.Exception ? error.message : error);
  process.exit(1);
});
